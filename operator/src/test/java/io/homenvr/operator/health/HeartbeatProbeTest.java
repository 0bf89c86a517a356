package io.homenvr.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.Observations;
import io.homenvr.testing.StandInPipeline;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Between full checks the observer only probes the heartbeat: a pipeline that answers with fresh
 * frames leaves the last check standing (no event, no reconcile, no API request); one that stops
 * answering, or whose frames go stale, is checked in full at once.
 */
class HeartbeatProbeTest {
  private final TestCluster cluster = TestCluster.start();
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StandInPipeline pipeline = newPipeline();
  private final HealthObserver observer =
      new HealthObserver(
          cluster.client(), HttpClient.newHttpClient(), monitor -> pipeline.baseUrl(), clock);

  @AfterEach
  void stop() {
    pipeline.close();
    cluster.close();
  }

  @Test
  void aPipelineThatAnswersWithFreshFramesKeepsTheLastCheck() {
    CameraMonitor monitor = monitor();
    long before = pipeline.heartbeats();

    assertThat(observer.stillWorking(answered(), monitor)).isTrue();
    assertThat(pipeline.heartbeats() - before).as("one probe").isEqualTo(1);
  }

  @Test
  void aPipelineThatStopsAnsweringIsCheckedAtOnce() {
    CameraMonitor monitor = monitor();
    pipeline.close();

    assertThat(observer.stillWorking(answered(), monitor)).isFalse();
  }

  @Test
  void framesThatStoppedWhileTheHeartbeatAnswersAreCheckedAtOnce() {
    CameraMonitor monitor = monitor();
    monitor.getSpec().getHealth().setFrameStaleSeconds(0);
    Observation answered = answered();
    pipeline.freeze(); // the heartbeat answers; its newest frame stops
    assertThat(observer.stillWorking(answered, monitor)).as("not a whole second old yet").isTrue();

    // stale once it is older than frameStaleSeconds in whole seconds, as the checks count it
    await().atMost(Duration.ofSeconds(10)).until(() -> !observer.stillWorking(answered, monitor));
  }

  @Test
  void aPipelineAlreadySilentAtTheLastCheckWaitsForTheNextFullCheck() {
    CameraMonitor monitor = monitor();
    long before = pipeline.heartbeats();
    Observation silent = Observations.healthy(clock.instant()).unreachable().build();

    assertThat(observer.stillWorking(silent, monitor)).isTrue();
    assertThat(pipeline.heartbeats()).as("not even probed").isEqualTo(before);
  }

  @Test
  void withinTheCheckIntervalTheSameObservationComesBackSoNothingIsReconciled() {
    CameraMonitor monitor = monitor(); // no pod: the full check finds the pipeline not running
    Observation first = observer.fetchResources(monitor).iterator().next();

    clock.advance(Duration.ofSeconds(4));
    assertThat(observer.fetchResources(monitor).iterator().next()).isSameAs(first);

    clock.advance(Duration.ofSeconds(6)); // the check interval (10 s) has passed
    Observation second = observer.fetchResources(monitor).iterator().next();
    assertThat(second).isNotSameAs(first);
    assertThat(second.observedAt()).isEqualTo(clock.instant());
  }

  private Observation answered() {
    return Observations.healthy(clock.instant()).build();
  }

  private static CameraMonitor monitor() {
    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setNamespace("heartbeat-probe");
    monitor.getMetadata().setUid("uid-probe");
    monitor.getSpec().getHealth().setCheckIntervalSeconds(10);
    return monitor;
  }

  private static StandInPipeline newPipeline() {
    try {
      return new StandInPipeline();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
