package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json turns a wrong value into an error that names the field, before rendering. */
class ValuesSchemaTest {
  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "image.pullPolicy, Sometimes, pullPolicy",
    "watchNamespaces[0], Not_A_Namespace, watchNamespaces",
    "replicas, 2, replicas",
    "metrics.port, 70000, port",
    "serviceMonitor.interval, soon, interval",
    "logLevel, verbose, logLevel",
    "leaderElection.enabled, maybe, enabled",
    "grafanaDashboard.sidecar, true, sidecar",
    "replicaCount, 0, replicaCount",
  })
  void aWrongValueIsRejectedNamingTheField(String key, String value, String field) {
    assertThatThrownBy(() -> Chart.template(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(field);
  }

  @Test
  void moreThanOneReplicaWithoutLeaderElectionFailsWithTheFix() {
    assertThatThrownBy(
            () -> Chart.template(Map.of("replicaCount", 2, "leaderElection.enabled", false)))
        .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
  }

  @Test
  void aServiceMonitorWithoutItsServiceFailsWithTheFix() {
    assertThatThrownBy(
            () ->
                Chart.template(
                    Map.of("serviceMonitor.enabled", true, "metrics.service.enabled", false)))
        .hasMessageContaining("serviceMonitor.enabled needs metrics.service.enabled=true");
  }
}
