package io.homenvr.operator.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.RecordingStatus;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.health.Assessment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each closed gap in recording is one Warning Event, whatever the checks and restarts between. */
class RecordingGapsTest {
  private static final Assessment.RecordingGap RECONNECT =
      new Assessment.RecordingGap(
          "gate",
          Instant.parse("2026-03-01T11:00:00Z"),
          Instant.parse("2026-03-01T11:00:12.500Z"),
          "camera reconnect: no video frame for 10.0 s");
  private static final Assessment.RecordingGap LATER =
      new Assessment.RecordingGap(
          "gate",
          Instant.parse("2026-03-01T11:30:00Z"),
          Instant.parse("2026-03-01T11:30:04Z"),
          "muxer restarted");
  private static final Assessment.RecordingGap YARD =
      new Assessment.RecordingGap(
          "yard",
          Instant.parse("2026-03-01T11:10:00Z"),
          Instant.parse("2026-03-01T11:10:20Z"),
          "camera reconnect");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final EscalationLadder ladder = new EscalationLadder(clock);
  private CameraMonitor monitor;
  private CameraMonitorStatus status;

  @BeforeEach
  void setUp() {
    monitor = Monitors.monitor("gate", "yard");
    status = new CameraMonitorStatus();
  }

  private List<String> step(boolean recordingReported, Assessment.RecordingGap... gaps) {
    List<CameraStatus> cameras =
        List.of(camera("gate", recordingReported), camera("yard", recordingReported));
    Assessment assessment =
        new Assessment(
            clock.instant(),
            true,
            List.of(),
            cameras,
            clock.instant(),
            true,
            false,
            null,
            List.of(gaps));
    Transition decision = ladder.decide(new LadderInput(monitor, status, assessment, null));
    status = decision.status();
    return decision.notices().stream()
        .flatMap(n -> NoticeWording.event(n, monitor).stream())
        .filter(e -> e.reason().equals("RecordingGap"))
        .map(NoticeWording.Event::message)
        .toList();
  }

  private static CameraStatus camera(String name, boolean recordingReported) {
    CameraStatus camera = new CameraStatus(name, "Streaming");
    if (recordingReported) {
      camera.setRecording(new RecordingStatus("RECORDING", "2026-03-01T11:59:55Z", null));
    }
    return camera;
  }

  @Test
  void eachGapIsReportedOnceNamingCameraTimesLengthAndCause() {
    List<String> first = step(true, RECONNECT, YARD);
    clock.advanceSeconds(10);
    List<String> again = step(true, RECONNECT, YARD);

    assertThat(first)
        .containsExactly(
            "camera gate: no recording from 2026-03-01T11:00:00Z to 2026-03-01T11:00:12.500Z"
                + " (12.5 s): camera reconnect: no video frame for 10.0 s",
            "camera yard: no recording from 2026-03-01T11:10:00Z to 2026-03-01T11:10:20Z"
                + " (20.0 s): camera reconnect");
    assertThat(again).isEmpty();
    assertThat(status.getCameras().get(0).getRecording().getReportedGapsUntil())
        .isEqualTo("2026-03-01T11:00:12.500Z");
  }

  @Test
  void onlyGapsEndingAfterTheNewestReportedOneAreReported() {
    step(true, RECONNECT);
    clock.advanceSeconds(10);

    assertThat(step(true, RECONNECT, LATER)).singleElement().asString().contains("11:30:00Z");
  }

  @Test
  void theMarkSurvivesChecksWithoutRecordingAndComesFromStatusAfterAnOperatorRestart() {
    step(true, RECONNECT);
    clock.advanceSeconds(10);
    assertThat(step(false)).isEmpty(); // e.g. /status did not answer
    // a new operator knows only what status says: a fresh ladder, the stored status
    EscalationLadder restarted = new EscalationLadder(clock);
    Assessment assessment =
        new Assessment(
            clock.instant(),
            true,
            List.of(),
            List.of(camera("gate", true), camera("yard", true)),
            clock.instant(),
            true,
            false,
            null,
            List.of(RECONNECT));

    Transition decision = restarted.decide(new LadderInput(monitor, status, assessment, null));

    assertThat(decision.notices()).isEmpty();
  }
}
