package io.homenvr.operator;

import static org.awaitility.Awaitility.await;

import io.homenvr.operator.health.HealthObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stopping the operator ends the health observer's threads: no leak across restarts. */
class OperatorShutdownTest {
  /** Threads of other tests in this JVM, if any, are not this test's business. */
  private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());

  private List<Thread> observerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(HealthObserver.THREAD_NAME) && t.isAlive())
        .filter(t -> !before.contains(t))
        .toList();
  }

  @Test
  void closingTheOperatorStopsTheHealthObserversThreads() {
    try (TestCluster cluster = TestCluster.start()) {
      String ns = cluster.namespace("shutdown");
      cluster.createSecret(ns, "gate-cam", Map.of("username", "viewer", "password", "pw"));

      for (int run = 1; run <= 2; run++) {
        HomenvrOperator operator = cluster.startOperator(Clock.systemUTC());
        cluster.create(CameraMonitors.home(ns));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> !observerThreads().isEmpty()); // the first health check ran

        operator.close();

        await()
            .alias("observer threads after stop #" + run)
            .atMost(Duration.ofSeconds(10))
            .until(() -> observerThreads().isEmpty());
        cluster.client().resource(CameraMonitors.home(ns)).delete();
      }
    }
  }
}
