package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The chart's README documents every key of values.yaml, and Chart.yaml is ready to publish. */
class ChartReadmeTest {
  @Test
  void everyValuesKeyIsInTheReadmesTable() throws IOException {
    Map<String, Object> values =
        new Yaml().load(Files.readString(Chart.DIR.resolve("values.yaml")));
    List<String> keys = new ArrayList<>();
    leaves("", values, keys);
    String readme = Files.readString(Chart.DIR.resolve("README.md"));

    assertThat(keys).hasSizeGreaterThan(30);
    assertThat(keys.stream().filter(key -> !readme.contains("| `" + key + "` |")).toList())
        .as("values.yaml keys missing from helm/homenvr/README.md's Values table")
        .isEmpty();
  }

  @Test
  void chartYamlNamesItsHomeSourcesIconAndMaintainers() throws IOException {
    Map<String, Object> chart = new Yaml().load(Files.readString(Chart.DIR.resolve("Chart.yaml")));
    assertThat(chart).containsKeys("home", "sources", "icon", "maintainers");
    assertThat(Chart.REPO.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
  }

  @SuppressWarnings("unchecked")
  private static void leaves(String prefix, Map<String, Object> map, List<String> keys) {
    map.forEach(
        (key, value) -> {
          String path = prefix.isEmpty() ? key : prefix + "." + key;
          if (value instanceof Map<?, ?> child && !child.isEmpty()) {
            leaves(path, (Map<String, Object>) child, keys);
          } else {
            keys.add(path);
          }
        });
  }
}
