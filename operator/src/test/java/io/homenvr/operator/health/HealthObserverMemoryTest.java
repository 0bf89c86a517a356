package io.homenvr.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.Observations;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the observer remembers belongs to one CameraMonitor object (its uid), not to a name. */
class HealthObserverMemoryTest {
  private final TestCluster cluster = TestCluster.start();
  private final MutableClock clock = new MutableClock(Instant.now());
  private final HealthObserver observer =
      new HealthObserver(
          cluster.client(),
          HttpClient.newHttpClient(),
          monitor -> URI.create("http://127.0.0.1:9"),
          clock);

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aMonitorRecreatedUnderTheSameNameStartsWithoutTheOldOnesObservation() {
    CameraMonitor old = monitor("uid-old");
    observer.fetchResources(old);
    assertThat(observe(old).previous()).as("the same object remembers its last check").isNotNull();

    Observation first = observe(monitor("uid-new"));

    assertThat(first.previous()).isNull();
    assertThat(first.monitorUid()).isEqualTo("uid-new");
    assertThat(first.isFor("uid-old")).isFalse();
    assertThat(first.isFor("uid-new")).isTrue();
  }

  @Test
  void aDeletedMonitorsMemoryIsDropped() {
    CameraMonitor monitor = monitor("uid-gone");
    observer.fetchResources(monitor);

    observer.forget("uid-gone");

    assertThat(observe(monitor).previous()).isNull();
  }

  @Test
  void aPodSeenReadyIsRememberedAsReadyUntilItIsAnotherPod() {
    Instant now = Instant.now();
    Observation ready = Observations.healthy(now).pod(pod("home-pipeline-a", true)).build();
    Observation unready =
        HealthObserver.remember(
            Observations.healthy(now).pod(pod("home-pipeline-a", false)).build(), ready);
    assertThat(unready.pod().becameUnready()).isTrue();

    Observation stillUnready =
        HealthObserver.remember(
            Observations.healthy(now).pod(pod("home-pipeline-a", false)).build(), unready);
    assertThat(stillUnready.pod().becameUnready()).as("remembered from check to check").isTrue();

    Observation newPod =
        HealthObserver.remember(
            Observations.healthy(now).pod(pod("home-pipeline-b", false)).build(), stillUnready);
    assertThat(newPod.pod().becameUnready()).as("a new pod is starting").isFalse();
  }

  private static Observation.PodState pod(String name, boolean ready) {
    Instant started = Instant.now().minusSeconds(3600);
    return new Observation.PodState(
        name, "Running", "node-1", true, started, 0, null, null, null, null, null, started, ready,
        false);
  }

  /** A full check: the check interval has passed since the last one. */
  private Observation observe(CameraMonitor monitor) {
    clock.advanceSeconds(monitor.getSpec().getHealth().getCheckIntervalSeconds());
    return observer.fetchResources(monitor).iterator().next();
  }

  private static CameraMonitor monitor(String uid) {
    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setNamespace("observer-memory");
    monitor.getMetadata().setUid(uid);
    return monitor;
  }
}
