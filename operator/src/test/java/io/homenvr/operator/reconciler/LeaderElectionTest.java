package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.config.OperatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  @Test
  void theLeaderHoldsTheLeaseAndReconcilesOnlyTheWatchedNamespaces() {
    try (TestCluster cluster = TestCluster.start()) {
      String system = cluster.namespace("homenvr-system");
      String nvr = cluster.namespace("nvr");
      String elsewhere = cluster.namespace("elsewhere");
      OperatorConfig config =
          new OperatorConfig(
              Set.of(nvr),
              true,
              "homenvr-operator",
              Optional.of(system),
              "replica-1",
              0,
              "",
              TestCluster.PIPELINE_IMAGE,
              TestCluster.AIFIX_IMAGE);
      HomenvrOperator operator = cluster.startOperator(config, Clock.systemUTC());
      try {
        Lease lease =
            await()
                .atMost(Duration.ofSeconds(20))
                .until(
                    () ->
                        cluster
                            .client()
                            .leases()
                            .inNamespace(system)
                            .withName("homenvr-operator")
                            .get(),
                    l -> l != null && "replica-1".equals(l.getSpec().getHolderIdentity()));
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isPositive();

        for (String ns : new String[] {nvr, elsewhere}) {
          cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
          cluster.create(CameraMonitors.home(ns));
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    cluster
                        .client()
                        .apps()
                        .deployments()
                        .inNamespace(nvr)
                        .withName("home-pipeline")
                        .get(),
                d -> d != null);
        assertThat(cluster.client().apps().deployments().inNamespace(elsewhere).list().getItems())
            .isEmpty();
      } finally {
        operator.close();
      }
    }
  }
}
