package io.homenvr.operator.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.notify.Outbox;
import io.homenvr.operator.notify.Reports;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** escalation.dailyDigest: one "all nominal" report per 24 h of health, through the outbox. */
class DailyDigestTest {
  private static final Problem FROZEN =
      new Problem("FramesStale", CauseClass.PIPELINE, null, "no camera's frames advance");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:30:00Z"));
  private final EscalationLadder ladder = new EscalationLadder(clock);
  private CameraMonitor monitor;
  private CameraMonitorStatus status;

  @BeforeEach
  void setUp() {
    monitor = Monitors.withTelegram(Monitors.monitor("gate", "yard"), "http://127.0.0.1:1");
    monitor.getSpec().getEscalation().setDailyDigest(true);
    monitor.getSpec().getRecovery().setRecoveryGraceSeconds(60);
    status = new CameraMonitorStatus();
  }

  private Transition step(Problem... problems) {
    List<CameraStatus> cameras =
        List.of(
            camera("gate", problems.length == 0 ? "Streaming" : "Stale", 5.0),
            camera("yard", "Streaming", 4.96));
    Assessment assessment =
        new Assessment(
            clock.instant(),
            true,
            List.of(problems),
            cameras,
            clock.instant(),
            problems.length == 0,
            false,
            null);
    return decide(assessment);
  }

  /** One ladder step, with the reports it asks for queued as the controller queues them. */
  private Transition decide(Assessment assessment) {
    Transition decision = ladder.decide(new LadderInput(monitor, status, assessment, null));
    ReportQueue.queue(decision, monitor, assessment, clock.instant());
    status = decision.status();
    return decision;
  }

  private static CameraStatus camera(String name, String state, double fps) {
    CameraStatus camera = new CameraStatus();
    camera.setName(name);
    camera.setState(state);
    camera.setFps(fps);
    return camera;
  }

  private List<Report> digests() {
    return status.getOutbox().stream().filter(r -> Reports.DIGEST.equals(r.getKind())).toList();
  }

  /** What the outbox does once Telegram confirmed. */
  private void deliverAll() {
    List.copyOf(status.getOutbox()).forEach(r -> Outbox.delivered(status, r.getId()));
  }

  @Test
  void theFirstHealthyCheckQueuesADigestThenOnlyEvery24Hours() {
    step();

    assertThat(digests()).extracting(Report::getId).containsExactly("digest-2026-11-23");
    Report digest = digests().get(0);
    assertThat(digest.getIncident()).isNull();
    assertThat(digest.getText())
        .isEqualTo(
            """
            🟢 homenvr nvr/home: all nominal
            Cameras: 2 of 2 streaming
            • gate: Streaming, 5.0 fps
            • yard: Streaming, 5.0 fps
            Last 24 h: 0 incident(s), 0 restart(s)
            """);
    assertThat(status.getLastDigestTime()).isEqualTo("2026-11-23T07:30:00Z");
    deliverAll();

    clock.advance(Duration.ofHours(24).minusSeconds(1));
    step();
    assertThat(digests()).as("not yet 24 h").isEmpty();
    assertThat(status.getLastDigestTime()).isEqualTo("2026-11-23T07:30:00Z");

    clock.advanceSeconds(1);
    step();
    assertThat(digests()).extracting(Report::getId).containsExactly("digest-2026-11-24");
    assertThat(status.getLastDigestTime()).isEqualTo("2026-11-24T07:30:00Z");
    step();
    assertThat(digests()).as("queued once").hasSize(1);
  }

  @Test
  void noDigestWhileUnhealthyAndTheNextOneTellsWhatHappened() {
    step();
    deliverAll();
    clock.advance(Duration.ofHours(23));
    step(FROZEN);
    clock.advance(Duration.ofHours(1));
    Transition recovering = step(FROZEN);

    assertThat(recovering.phase().name()).isEqualTo("Recovering");
    assertThat(digests()).as("due, but the pipeline is not healthy").isEmpty();

    clock.advanceSeconds(60);
    step();
    assertThat(status.getIncidents().get(0).getOutcome()).isEqualTo("FixedByRestart");
    String incident = status.getIncidents().get(0).getId();
    assertThat(digests()).hasSize(1);
    assertThat(digests().get(0).getText())
        .contains(
            "Last 24 h: 1 incident(s), 2 restart(s)",
            "• " + incident + ": FramesStale → FixedByRestart");
  }

  @Test
  void anIncidentOlderThanADayIsNotInTheDigest() {
    step(FROZEN);
    clock.advanceSeconds(60);
    step();
    deliverAll();

    clock.advance(Duration.ofHours(25));
    step();

    assertThat(digests()).hasSize(1);
    assertThat(digests().get(0).getText()).contains("Last 24 h: 0 incident(s), 0 restart(s)");
  }

  @Test
  void offByDefaultAndNeverWithoutAChat() {
    monitor.getSpec().getEscalation().setDailyDigest(false);
    step();
    assertThat(status.getOutbox()).isEmpty();
    assertThat(status.getLastDigestTime()).isNull();

    monitor.getSpec().getEscalation().setDailyDigest(true);
    monitor.getSpec().getEscalation().setTelegram(null);
    step();
    assertThat(status.getOutbox()).isEmpty();
    assertThat(status.getLastDigestTime()).isNull();
  }

  @Test
  void theDigestSumsUpTheDaysGapsInRecordingPerCamera() {
    List<CameraStatus> cameras =
        List.of(camera("gate", "Streaming", 5.0), camera("yard", "Streaming", 5.0));
    List<Assessment.RecordingGap> gaps =
        List.of(
            new Assessment.RecordingGap(
                "gate",
                Instant.parse("2026-11-22T06:00:00Z"),
                Instant.parse("2026-11-22T06:01:00Z"),
                "older than a day"),
            new Assessment.RecordingGap(
                "gate",
                Instant.parse("2026-11-23T01:00:00Z"),
                Instant.parse("2026-11-23T01:00:12Z"),
                "camera reconnect: no video frame for 10.0 s"),
            new Assessment.RecordingGap(
                "gate",
                Instant.parse("2026-11-23T02:00:00Z"),
                Instant.parse("2026-11-23T02:00:03Z"),
                "muxer restarted"));
    Assessment assessment =
        new Assessment(
            clock.instant(), true, List.of(), cameras, clock.instant(), true, false, null, gaps);

    decide(assessment);

    assertThat(digests().get(0).getText())
        .endsWith(
            "Gaps in recording, last 24 h:\n"
                + "• gate: 2 gap(s), 15 s in all, longest 12 s"
                + " (camera reconnect: no video frame for 10.0 s)\n");
  }
}
