package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard queries only metrics the operator or the pipeline register: a renamed meter fails
 * here, not as an empty panel.
 */
class DashboardTest {
  private static final Path DASHBOARD = Chart.DIR.resolve("dashboards/homenvr.json");
  private static final Pattern PROMETHEUS_NAME = Pattern.compile("\\bhomenvr_[a-z_]+");
  private static final Pattern MICROMETER_NAME = Pattern.compile("\"(homenvr(\\.[a-z]+)+)\"");

  @Test
  void everyQueriedMetricIsRegisteredByTheOperatorOrThePipeline() throws IOException {
    Set<String> registered = new TreeSet<>();
    for (String module : new String[] {"operator/src/main/java", "nvr-image/src/main/java"}) {
      try (Stream<Path> files = Files.walk(Chart.REPO.resolve(module))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher name = MICROMETER_NAME.matcher(Files.readString(file));
          while (name.find()) {
            registered.add(name.group(1));
          }
        }
      }
    }
    Set<String> queried = new TreeSet<>();
    Matcher name = PROMETHEUS_NAME.matcher(Files.readString(DASHBOARD));
    while (name.find()) {
      queried.add(name.group());
    }

    assertThat(queried).hasSizeGreaterThan(5);
    assertThat(queried.stream().filter(q -> !registered.contains(micrometerName(q))).toList())
        .as("queried by the dashboard but registered nowhere (registered: %s)", registered)
        .isEmpty();
  }

  @Test
  void itIsAGrafanaDashboardWithTheVariablesItsQueriesUse() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    assertThat(dashboard.get("title").asText()).isEqualTo("homenvr");
    Set<String> variables = new TreeSet<>();
    dashboard.get("templating").get("list").forEach(v -> variables.add(v.get("name").asText()));
    assertThat(variables).containsExactlyInAnyOrder("datasource", "namespace", "camera");
    dashboard
        .get("panels")
        .forEach(
            panel -> assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty());
  }

  /** Prometheus name back to the meter name: suffixes Micrometer adds, then dots. */
  static String micrometerName(String prometheus) {
    String base = prometheus.replaceAll("_(bucket|count|sum|max)$", "").replaceAll("_total$", "");
    String meter = base.replace('_', '.');
    return meter.endsWith(".seconds")
        ? meter.substring(0, meter.length() - ".seconds".length())
        : meter;
  }
}
