package io.homenvr.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsWatchAllNamespacesWithLeaderElection() {
    OperatorConfig config = OperatorConfig.from(Map.of("HOSTNAME", "op-1"), new String[0]);

    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseName()).isEqualTo("homenvr-operator");
    assertThat(config.leaseNamespace()).isEmpty();
    assertThat(config.identity()).isEqualTo("op-1");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.pipelineImage())
        .isEqualTo("homenvr-pipeline:" + OperatorConfig.releaseVersion());
    assertThat(config.aiFixImage()).isEqualTo("homenvr-aifix:" + OperatorConfig.releaseVersion());
  }

  @Test
  void imageTagsAreTheReleaseTheBuildLeadsTo() {
    String release = OperatorConfig.releaseVersion();
    assertThat(release).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(OperatorConfig.projectVersion()).isIn(release, release + "-SNAPSHOT");
    assertThat(OperatorConfig.PIPELINE_IMAGE.defaultValue())
        .isEqualTo("homenvr-pipeline:" + release);
    assertThat(OperatorConfig.AIFIX_IMAGE.defaultValue()).isEqualTo("homenvr-aifix:" + release);
    assertThat(OperatorConfig.usage()).contains("--aifix-image=… (HOMENVR_AIFIX_IMAGE");
  }

  @Test
  void environmentSetsAndFlagsOverride() {
    OperatorConfig config =
        OperatorConfig.from(
            Map.of(
                "HOMENVR_WATCH_NAMESPACES", " nvr, garage ,,",
                "HOMENVR_LEADER_ELECTION", "false",
                "HOMENVR_LEASE_NAMESPACE", "homenvr-system",
                "POD_NAME", "homenvr-operator-7d9",
                "HOMENVR_HTTP_PORT", "9090",
                "HOMENVR_AIFIX_IMAGE", "registry.lan/homenvr-aifix:env"),
            new String[] {
              "--http-port=9191",
              "--pipeline-image=registry.lan/homenvr-pipeline:dev",
              "--aifix-image=registry.lan/homenvr-aifix:dev"
            });

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("nvr", "garage");
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseNamespace()).isEqualTo(Optional.of("homenvr-system"));
    assertThat(config.identity()).isEqualTo("homenvr-operator-7d9");
    assertThat(config.httpPort()).isEqualTo(9191);
    assertThat(config.pipelineImage()).isEqualTo("registry.lan/homenvr-pipeline:dev");
    assertThat(config.aiFixImage()).isEqualTo("registry.lan/homenvr-aifix:dev");
    assertThat(
            OperatorConfig.from(
                    Map.of("HOMENVR_AIFIX_IMAGE", "registry.lan/homenvr-aifix:env"), new String[0])
                .aiFixImage())
        .isEqualTo("registry.lan/homenvr-aifix:env");
  }

  @Test
  void aBadValueNamesTheOption() {
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("HOMENVR_LEADER_ELECTION", "yes"), new String[0]))
        .hasMessageContaining("HOMENVR_LEADER_ELECTION / --leader-election must be true or false");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of(), new String[] {"--http-port=http"}))
        .hasMessageContaining("--http-port must be a port number");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of(), new String[] {"--namespaces=a"}))
        .hasMessageContaining("unknown flag --namespaces");
  }
}
