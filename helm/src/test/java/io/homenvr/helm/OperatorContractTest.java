package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.homenvr.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart and the operator agree: settings, versions, image names. */
class OperatorContractTest {
  @Test
  void everyVariableTheChartSetsIsAnOperatorOption() {
    Set<String> options =
        OperatorConfig.OPTIONS.stream().map(OperatorConfig.Option::env).collect(Collectors.toSet());
    Set<String> set =
        ChartOptionsTest.operatorContainer(Chart.render(Map.of())).getEnv().stream()
            .map(EnvVar::getName)
            // the JVM's and glibc's own settings, not the operator's
            .filter(name -> !name.equals("JAVA_TOOL_OPTIONS") && !name.equals("MALLOC_ARENA_MAX"))
            .collect(Collectors.toSet());

    assertThat(set).isSubsetOf(options);
  }

  @Test
  void theOperatorAcceptsTheEnvironmentTheChartGivesIt() {
    Map<String, String> env =
        ChartOptionsTest.env(
            ChartOptionsTest.operatorContainer(
                Chart.render(Scenarios.ALL.get("watchNamespaces set"))));

    OperatorConfig config = OperatorConfig.from(env, new String[0]);

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("nvr", "garage");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseName()).isEqualTo("homenvr");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.pipelineImage()).isEqualTo("homenvr-pipeline:0.1.0");
    assertThat(config.aiFixImage()).isEqualTo("homenvr-aifix:0.1.0");
  }

  @Test
  void chartVersionsFollowTheProjectVersion() throws IOException {
    String release = System.getProperty("homenvr.projectVersion").replace("-SNAPSHOT", "");
    String chart = Files.readString(Chart.DIR.resolve("Chart.yaml"));

    assertThat(chart)
        .contains("\nversion: " + release + "\n")
        .contains("\nappVersion: \"" + release + "\"\n");
  }
}
