package io.homenvr.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.escalation.EscalationLadder;
import io.homenvr.operator.escalation.HealthVerdicts;
import io.homenvr.operator.escalation.LadderInput;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.Observations;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthAssessorTest {
  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");
  private final HealthAssessor assessor = new HealthAssessor(new MutableClock(now));
  private final CameraMonitor monitor = Monitors.monitor("gate", "yard");

  private Assessment assess(Observations observations) {
    return assessor.assess(observations.build(), monitor.getSpec());
  }

  private static List<String> kinds(Assessment assessment) {
    return assessment.problems().stream().map(Problem::getKind).toList();
  }

  /** The pod (and process) of {@code Observations.healthy(now)}, for an observation before it. */
  private Observation.PodState samePod() {
    return Observations.runningPod(now.minusSeconds(3600));
  }

  private Problem only(Assessment assessment, ProblemKind kind) {
    assertThat(kinds(assessment)).containsExactly(kind.name());
    Problem problem = assessment.problems().get(0);
    assertThat(problem.getCause()).isEqualTo(kind.cause());
    return problem;
  }

  @Test
  void aWorkingPipelineHasNoProblemsAndStreamingCameras() {
    Assessment assessment = assess(Observations.healthy(now, "gate", "yard"));

    assertThat(assessment.healthy()).isTrue();
    assertThat(assessment.cameras()).extracting("state").containsExactly("Streaming", "Streaming");
    assertThat(assessment.healthyCameras()).isEqualTo(2);
  }

  @Test
  void noPodMeansNothingToJudge() {
    Assessment assessment =
        assess(Observations.healthy(now, "gate", "yard").pod(Observation.PodState.none()));

    assertThat(assessment.judged()).isFalse();
    assertThat(assessment.healthy()).isFalse();
    assertThat(assessment.cameras()).extracting("state").containsOnly("Unknown");
  }

  @Test
  void aPodThatWasReadyAndIsNotAnyMoreIsAPipelineProblemAtOnce() {
    Observation.PodState unready =
        new Observation.PodState(
                "home-pipeline-abc",
                "Running",
                "node-1",
                true,
                now.minusSeconds(3600),
                0,
                null,
                null,
                null,
                null,
                null,
                now.minusSeconds(3602),
                false,
                false)
            .rememberedReady();

    Problem problem =
        only(
            assess(Observations.healthy(now, "gate", "yard").pod(unready)),
            ProblemKind.PipelineUnready);
    assertThat(problem.getCause()).isEqualTo(CauseClass.PIPELINE);
    assertThat(problem.getMessage()).contains("home-pipeline-abc", "was ready", "readiness");

    Observation.PodState neverReady =
        new Observation.PodState(
            "home-pipeline-abc",
            "Running",
            "node-1",
            true,
            now.minusSeconds(3600),
            0,
            null,
            null,
            null,
            null,
            null,
            now.minusSeconds(3602),
            false,
            false);
    assertThat(kinds(assess(Observations.healthy(now, "gate", "yard").pod(neverReady))))
        .as("a pod never seen ready is starting, not a problem")
        .isEmpty();
  }

  @Test
  void everyCameraFrozenIsOnePipelineProblem() {
    Assessment assessment =
        assess(
            Observations.healthy(now)
                .camera("gate", "STREAMING", now.minusSeconds(45), null)
                .camera("yard", "STREAMING", now.minusSeconds(31), null));

    Problem problem = only(assessment, ProblemKind.FramesStale);
    assertThat(problem.getMessage()).contains("45s old", "limit 30s");
    assertThat(assessment.restartMayHelp()).isTrue();
  }

  @Test
  void oneCameraStuckWhileItClaimsToStreamIsAPipelineProblem() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera("yard", "STREAMING", now.minusSeconds(120), null));

    Problem problem = only(assessment, ProblemKind.CameraStuck);
    assertThat(problem.getCamera()).isEqualTo("yard");
    assertThat(assessment.cameras()).extracting("state").containsExactly("Streaming", "Stale");
  }

  @Test
  void aFrameJustUnderTheLimitIsNotStale() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera("yard", "STREAMING", now.minusSeconds(30), null));

    assertThat(assessment.healthy()).isTrue();
  }

  @Test
  void oneCameraRefusingWhileOthersStreamIsExternal() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera(
                    "yard",
                    "BACKOFF",
                    now.minusSeconds(300),
                    "Connection refused rtsp://admin:hunter2@10.0.0.5/"));

    Problem problem = only(assessment, ProblemKind.CameraDown);
    assertThat(problem.getCamera()).isEqualTo("yard");
    assertThat(problem.getMessage()).contains("Connection refused").doesNotContain("hunter2");
    assertThat(assessment.restartMayHelp()).isFalse();
    assertThat(assessment.cameras().get(1).getState()).isEqualTo("Down");
  }

  @Test
  void aCameraStillConnectingAfterAStartIsNotDownYet() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .pod(Observations.runningPod(now.minusSeconds(10)))
                .camera("yard", "CONNECTING", null, null));

    assertThat(kinds(assessment)).isEmpty();
    assertThat(assessment.cameras().get(1).getState()).isEqualTo("Connecting");
  }

  @Test
  void anUnansweredHeartbeatOfARunningPodIsAPipelineProblemAfterWarmUp() {
    only(
        assess(Observations.healthy(now, "gate", "yard").unreachable()),
        ProblemKind.HeartbeatUnreachable);

    Assessment starting =
        assess(
            Observations.healthy(now, "gate", "yard")
                .unreachable()
                .pod(Observations.runningPod(now.minusSeconds(5))));
    assertThat(starting.problems()).isEmpty();
  }

  @Test
  void aPipelineWarmingUpHasNoHeartbeatCpuFrameOrLogProblems() {
    Instant started = now.minusSeconds(20); // frameStaleSeconds is 30
    Observation before =
        Observations.healthy(now.minusSeconds(10), "gate", "yard")
            .pod(Observations.runningPod(started))
            .camera("gate", "STREAMING", now.minusSeconds(45), null)
            .camera("yard", "STREAMING", now.minusSeconds(45), null)
            .build();
    Observations jitBurning =
        Observations.healthy(now)
            .pod(Observations.runningPod(started))
            .camera("gate", "STREAMING", now.minusSeconds(45), null)
            .camera("yard", "STREAMING", now.minusSeconds(45), null)
            .cpuMillicores(3000L)
            .logs(new Observation.LogLine(now.minusSeconds(700), "INFO starting"))
            .previous(before);
    monitor.getSpec().getHealth().setLogStaleSeconds(10);

    assertThat(assess(jitBurning).problems()).isEmpty();
    assertThat(assess(jitBurning).framesAdvancing()).isFalse();
    assertThat(assess(jitBurning).warmingUp()).isTrue();

    // the same facts once the warm-up is over
    monitor.getSpec().getHealth().setFrameStaleSeconds(15);
    assertThat(kinds(assess(jitBurning)))
        .containsExactlyInAnyOrder("FramesStale", "LogsStale", "CpuSpin");
  }

  @Test
  void crashesStillCountDuringTheWarmUp() {
    Observation.PodState oomJustRestarted =
        new Observation.PodState(
            "p",
            "Running",
            "node-1",
            true,
            now.minusSeconds(5),
            1,
            null,
            null,
            "OOMKilled",
            now.minusSeconds(6),
            null,
            now.minusSeconds(600));
    only(
        assess(Observations.healthy(now, "gate", "yard").unreachable().pod(oomJustRestarted)),
        ProblemKind.OOMKilled);
  }

  @Test
  void framesCountedByAnotherProcessAreNoProgress() {
    Observation oldProcess =
        Observations.healthy(now.minusSeconds(10), "gate", "yard")
            .framesTotal("gate", 5000)
            .build();
    Observations freshProcessWithoutFrames =
        Observations.healthy(now)
            .pod(Observations.runningPod(now.minusSeconds(8)))
            .camera("gate", "CONNECTING", null, null)
            .camera("yard", "CONNECTING", null, null)
            .previous(oldProcess);
    assertThat(assess(freshProcessWithoutFrames).framesAdvancing()).isFalse();

    Observations freshProcessStreaming =
        Observations.healthy(now, "gate", "yard")
            .pod(Observations.runningPod(now.minusSeconds(8)))
            .previous(oldProcess);
    assertThat(assess(freshProcessStreaming).framesAdvancing()).isTrue();
    assertThat(assess(freshProcessStreaming).pod().name()).isEqualTo("home-pipeline-abc");
  }

  @Test
  void silentLogsArePipelineProblems() {
    Problem problem =
        only(
            assess(
                Observations.healthy(now, "gate", "yard")
                    .logs(new Observation.LogLine(now.minusSeconds(601), "INFO summary"))),
            ProblemKind.LogsStale);
    assertThat(problem.getMessage()).contains("601s");
  }

  @Test
  void logLinesAsTheLogApiServesThemFeedTheFreshnessRule() {
    // what kube-apiserver returns for ?timestamps=true: RFC 3339 with up to nine fraction digits
    String tail =
        "%s INFO summary: 2 cameras streaming%n%s WARN camera=yard slow%n"
            .formatted(
                now.minusSeconds(700).toString(), now.minusSeconds(610).plusNanos(123456789));
    List<Observation.LogLine> lines = HealthObserver.parseLog(tail);
    assertThat(lines).extracting(Observation.LogLine::at).doesNotContainNull();
    Problem problem =
        only(
            assess(
                Observations.healthy(now, "gate", "yard")
                    .logs(lines.toArray(Observation.LogLine[]::new))),
            ProblemKind.LogsStale);
    assertThat(problem.getMessage()).contains("609s");
  }

  @Test
  void unparsableLogLinesNeverCountAsSilentSinceTheContainerStarted() {
    // the container started long ago; its lines came without a readable time
    List<Observation.LogLine> lines =
        HealthObserver.parseLog("INFO summary without a timestamp\nERROR old failure, no time\n");
    assertThat(lines).extracting(Observation.LogLine::at).containsOnlyNulls();
    assertThat(
            assess(
                    Observations.healthy(now, "gate", "yard")
                        .logs(lines.toArray(Observation.LogLine[]::new)))
                .problems())
        .isEmpty();
  }

  @Test
  void highCpuWithFrozenFramesIsACpuSpin() {
    Observation before =
        Observations.healthy(now.minusSeconds(10), "gate", "yard")
            .pod(samePod())
            .framesTotal("gate", 5000)
            .build();
    Assessment assessment =
        assess(
            Observations.healthy(now)
                .camera("gate", "STREAMING", now.minusSeconds(3), null)
                .camera("yard", "STREAMING", now.minusSeconds(3), null)
                .framesTotal("gate", 5000)
                .cpuMillicores(3000L)
                .previous(before));

    Problem problem = only(assessment, ProblemKind.CpuSpin);
    assertThat(problem.getMessage()).contains("3000m");
  }

  @Test
  void highCpuWhileFramesAdvanceIsJustWork() {
    Observation before =
        Observations.healthy(now.minusSeconds(10), "gate", "yard")
            .pod(samePod())
            .framesTotal("gate", 10)
            .build();
    Assessment assessment =
        assess(Observations.healthy(now, "gate", "yard").cpuMillicores(3000L).previous(before));

    assertThat(assessment.healthy()).isTrue();
  }

  @Test
  void withoutMetricsTheCpuComesFromTheHeartbeatsCpuSeconds() {
    Observation before =
        Observations.healthy(now.minusSeconds(10), "gate", "yard")
            .pod(samePod())
            .cpuMillicores(null)
            .cpuSeconds(100)
            .build();
    Observation after =
        Observations.healthy(now, "gate", "yard")
            .cpuMillicores(null)
            .cpuSeconds(130)
            .previous(before)
            .build();

    assertThat(HealthAssessor.cpuMillicores(after)).isEqualTo(3000L);
    assertThat(kinds(assessor.assess(after, monitor.getSpec()))).containsExactly("CpuSpin");
  }

  @Test
  void deadlockedThreadsAreAPipelineProblem() {
    Problem problem =
        only(
            assess(Observations.healthy(now, "gate", "yard").deadlocked("camera-gate", "closer")),
            ProblemKind.Deadlock);
    assertThat(problem.getMessage()).contains("camera-gate, closer");
  }

  @Test
  void seriousErrorsCountButTransientOnesDoNot() {
    Observations transientOnly =
        Observations.healthy(now, "gate", "yard")
            .logs(
                new Observation.LogLine(
                    now.minusSeconds(2), "ERROR camera yard: Connection reset by peer"),
                new Observation.LogLine(now.minusSeconds(1), "WARN camera gate: read timed out"));
    assertThat(assess(transientOnly).problems()).isEmpty();

    Observations serious =
        Observations.healthy(now, "gate", "yard")
            .logs(
                new Observation.LogLine(
                    now.minusSeconds(2), "ERROR camera yard: Connection reset by peer"),
                new Observation.LogLine(
                    now.minusSeconds(1),
                    "ERROR analysis loop died: NullPointerException token=abc123secret"
                        + " apikey 5f3c9a8b7d6e bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
    Problem problem = only(assess(serious), ProblemKind.SeriousErrors);
    assertThat(problem.getMessage()).contains("1 error line", "NullPointerException");
    // the message goes to status, the conditions, Events and reports: no token-like value in it
    assertThat(problem.getMessage())
        .doesNotContain("abc123secret", "5f3c9a8b7d6e", "AAHdqTcv")
        .contains("token=[REDACTED]", "apikey [REDACTED]");

    Observations old =
        Observations.healthy(now, "gate", "yard")
            .logs(
                new Observation.LogLine(now.minusSeconds(300), "ERROR analysis loop died"),
                new Observation.LogLine(now.minusSeconds(1), "INFO summary"));
    assertThat(assess(old).problems()).isEmpty();
  }

  @Test
  void aRecentOomKillIsAPipelineProblemAnOldOneIsNot() {
    Observation.PodState oom =
        new Observation.PodState(
            "p",
            "Running",
            "node-1",
            true,
            now.minusSeconds(3600),
            3,
            null,
            null,
            "OOMKilled",
            now.minusSeconds(60),
            null,
            null);
    only(assess(Observations.healthy(now, "gate", "yard").pod(oom)), ProblemKind.OOMKilled);

    Observation.PodState oldOom =
        new Observation.PodState(
            "p",
            "Running",
            "node-1",
            true,
            now.minusSeconds(3600),
            3,
            null,
            null,
            "OOMKilled",
            now.minusSeconds(3000),
            null,
            null);
    assertThat(assess(Observations.healthy(now, "gate", "yard").pod(oldOom)).problems()).isEmpty();
  }

  @Test
  void crashLoopBackOffIsAPipelineProblem() {
    Observation.PodState crashing =
        new Observation.PodState(
            "p",
            "Running",
            "node-1",
            false,
            null,
            7,
            "CrashLoopBackOff",
            "back-off 5m0s",
            "Error",
            now.minusSeconds(30),
            null,
            null);
    Problem problem =
        only(
            assess(Observations.healthy(now, "gate", "yard").pod(crashing)),
            ProblemKind.CrashLoopBackOff);
    assertThat(problem.getMessage()).contains("restarts: 7", "Error");
  }

  @Test
  void anUnschedulableOrUnpullablePodIsExternal() {
    Observation.PodState pending =
        new Observation.PodState(
            "p",
            "Pending",
            null,
            false,
            null,
            0,
            null,
            null,
            null,
            null,
            "0/1 nodes are available: 1 Insufficient memory.",
            null);
    only(assess(Observations.healthy(now, "gate", "yard").pod(pending)), ProblemKind.Unschedulable);

    Observation.PodState pull =
        new Observation.PodState(
            "p",
            "Pending",
            "node-1",
            false,
            null,
            0,
            "ImagePullBackOff",
            "pull access denied",
            null,
            null,
            null,
            null);
    only(assess(Observations.healthy(now, "gate", "yard").pod(pull)), ProblemKind.ImagePullFailed);
  }

  @Test
  void visionDownAndModelMissingAreExternal() {
    CameraMonitor withVision =
        Monitors.withOllama(Monitors.monitor("gate", "yard"), "http://127.0.0.1:1");
    Observation down =
        Observations.healthy(now, "gate", "yard")
            .visionCheck(new Observation.VisionCheck(true, false, false, "Connection refused"))
            .build();
    assertThat(kinds(assessor.assess(down, withVision.getSpec()))).containsExactly("VisionDown");

    Observation missing =
        Observations.healthy(now, "gate", "yard")
            .visionCheck(new Observation.VisionCheck(true, true, false, null))
            .build();
    Assessment assessment = assessor.assess(missing, withVision.getSpec());
    assertThat(kinds(assessment)).containsExactly("VisionModelMissing");
    assertThat(assessment.problems().get(0).getCause()).isEqualTo(CauseClass.EXTERNAL);
    assertThat(assessment.problems().get(0).getMessage()).contains("gemma3:27b");
  }

  @Test
  void anOpenAiVisionServerIsJudgedByWhatThePipelineReports() {
    only(
        assess(Observations.healthy(now, "gate", "yard").pipelineVision(false, "503 from server")),
        ProblemKind.VisionDown);
  }

  @Test
  void nodePressureIsExternalAndMakesRestartsPointlessEvenWithFrozenFrames() {
    Assessment assessment =
        assess(
            Observations.healthy(now)
                .camera("gate", "STREAMING", now.minusSeconds(100), null)
                .camera("yard", "STREAMING", now.minusSeconds(100), null)
                .nodePressure("MemoryPressure"));

    assertThat(kinds(assessment)).containsExactlyInAnyOrder("NodePressure", "FramesStale");
    assertThat(assessment.restartMayHelp()).isFalse();
  }

  @Test
  void aFullDiskIsExternalBySpaceOrByInodes() {
    only(
        assess(Observations.healthy(now, "gate", "yard").storage(4.0, 50.0)), ProblemKind.DiskFull);
    only(
        assess(Observations.healthy(now, "gate", "yard").storage(50.0, 2.0)), ProblemKind.DiskFull);
    assertThat(assess(Observations.healthy(now, "gate", "yard").storage(5.0, 5.0)).problems())
        .isEmpty();
  }

  // recording: 2 x segmentSeconds (10) + 10 s = 30 s without a new segment while frames flow

  @Test
  void framesFlowingButNoNewSegmentIsAStalledRecording() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "continuous", "RECORDING", now.minusSeconds(31), null)
                .recording("yard", "continuous", "RECORDING", now.minusSeconds(30), null));

    Problem problem = only(assessment, ProblemKind.RecordingStalled);
    assertThat(problem.getCamera()).isEqualTo("gate");
    assertThat(problem.getMessage())
        .contains("camera gate", "newest recording segment ended 31s ago", "limit 30s");
    assertThat(assessment.restartMayHelp()).isTrue();
  }

  @Test
  void aRecorderThePipelineReportsStalledIsAStalledRecordingAtOnce() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "continuous", "STALLED", now.minusSeconds(12), null));

    Problem problem = only(assessment, ProblemKind.RecordingStalled);
    assertThat(problem.getMessage()).contains("camera gate", "recorder is stuck", "STALLED");
    assertThat(assessment.restartMayHelp()).isTrue();
  }

  @Test
  void aStalledRecorderOfACameraWhoseFramesStoppedIsTheCameraRulesBusiness() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera("gate", "STREAMING", now.minusSeconds(100), null)
                .recording("gate", "continuous", "STALLED", now.minusSeconds(100), null));

    assertThat(kinds(assessment)).doesNotContain("RecordingStalled");
  }

  @Test
  void aCameraWhoseCaptureStoppedIsNotAStalledRecordingEvenBeforeItsFramesCountAsStale() {
    // the capture thread blocked 30.5 s ago: its frames are not stale yet (30 s, whole seconds)
    // but its recording, which stopped with it, is past its 30 s limit: the camera rule's case
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera("gate", "STREAMING", now.minusMillis(30_500), null)
                .recording("gate", "continuous", "RECORDING", now.minusSeconds(31), null));

    assertThat(kinds(assessment)).isEmpty();
    assertThat(assessment.cameras().get(0).getState()).isEqualTo("Streaming");
  }

  @Test
  void aStalledRecordingWithoutAnySegmentCountsFromWhenTheCameraStartedStreaming() {
    Assessment justConnected =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "continuous", "WAITING", null, null)
                .connectedAt("gate", now.minusSeconds(20)));
    Assessment longConnected =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "continuous", "WAITING", null, null)
                .connectedAt("gate", now.minusSeconds(45)));

    assertThat(kinds(justConnected)).isEmpty();
    assertThat(only(longConnected, ProblemKind.RecordingStalled).getMessage())
        .contains("no recording segment was closed in the 45s since it started streaming");
  }

  @Test
  void aJustStartedPipelineHasItsWholeLimitForTheFirstSegment() {
    monitor.getSpec().getHealth().setFrameStaleSeconds(10); // past its warm-up after 10 s
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .pod(Observations.runningPod(now.minusSeconds(25)))
                .recording("gate", "continuous", "WAITING", null, null)
                .connectedAt("gate", null)
                .recording("yard", "continuous", "RECORDING", null, null));

    assertThat(kinds(assessment)).isEmpty();
  }

  @Test
  void aCameraThatJustReconnectedIsNotAStalledRecording() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "continuous", "RECORDING", now.minusSeconds(300), null)
                .connectedAt("gate", now.minusSeconds(15)));

    assertThat(kinds(assessment)).isEmpty();
  }

  @Test
  void recordingOffIsNeverStalled() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("gate", "off", "OFF", now.minusSeconds(3000), null));

    assertThat(kinds(assessment)).isEmpty();
    assertThat(assessment.cameras().get(0).getRecording().getState()).isEqualTo("OFF");
  }

  @Test
  void staleFramesAreTheCameraRulesBusinessNotRecordings() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .camera("yard", "STREAMING", now.minusSeconds(120), null)
                .recording("yard", "continuous", "RECORDING", now.minusSeconds(120), null));

    assertThat(kinds(assessment)).containsExactly("CameraStuck");
  }

  @Test
  void aFullDiskBlocksRecordingAndNoRestartWillHelp() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording(
                    "gate",
                    "continuous",
                    "DISK_FULL",
                    now.minusSeconds(600),
                    "No space left on device"));

    Problem problem = only(assessment, ProblemKind.RecordingBlocked);
    assertThat(problem.getCause()).isEqualTo(CauseClass.EXTERNAL);
    assertThat(problem.getMessage())
        .contains(
            "camera gate", "DISK_FULL", "No space left on device", "restarting will not help");
    assertThat(assessment.restartMayHelp()).isFalse();
  }

  @Test
  void aReadOnlyVolumeBlocksRecording() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording("yard", "events", "READ_ONLY", null, "Read-only file system"));

    assertThat(only(assessment, ProblemKind.RecordingBlocked).getMessage())
        .contains("camera yard", "READ_ONLY", "Read-only file system", "read-only");
  }

  @Test
  void recordingIsCopiedToTheCameraStatusAndItsClosedGapsToTheAssessment() {
    Assessment assessment =
        assess(
            Observations.healthy(now, "gate", "yard")
                .recording(
                    "gate",
                    "continuous",
                    "RECORDING",
                    now.minusSeconds(4),
                    "reconnect rtsp://admin:hunter2@10.0.0.5/",
                    new PipelineHeartbeat.Gap(
                        "2026-03-01T11:00:00Z", "2026-03-01T11:00:12.500Z", "camera reconnect"),
                    new PipelineHeartbeat.Gap("2026-03-01T11:59:58Z", null, "camera reconnect")));

    assertThat(kinds(assessment)).isEmpty();
    var recording = assessment.cameras().get(0).getRecording();
    assertThat(recording.getState()).isEqualTo("RECORDING");
    assertThat(recording.getLastSegmentTime()).isEqualTo("2026-03-01T11:59:56Z");
    assertThat(recording.getLastError()).contains("reconnect").doesNotContain("hunter2");
    assertThat(assessment.cameras().get(1).getRecording()).as("not reported").isNull();
    assertThat(assessment.recordingGaps())
        .containsExactly(
            new Assessment.RecordingGap(
                "gate",
                Instant.parse("2026-03-01T11:00:00Z"),
                Instant.parse("2026-03-01T11:00:12.500Z"),
                "camera reconnect"));
  }

  // MQTT: the pipeline reports its broker in /status.mqtt (null without one)

  private Observation mqttDown(Instant at) {
    return Observations.healthy(at, "gate", "yard")
        .mqtt(false, "connection lost: Connection refused")
        .build();
  }

  @Test
  void aBrokerDownOnTwoChecksIsAnExternalProblemThatNeverAsksForARestart() {
    Problem problem =
        only(
            assess(
                Observations.healthy(now, "gate", "yard")
                    .mqtt(false, "connection lost: Connection refused")
                    .previous(mqttDown(now.minusSeconds(10)))),
            ProblemKind.MqttDown);

    assertThat(problem.getCause()).isEqualTo(CauseClass.EXTERNAL);
    assertThat(problem.getMessage())
        .contains(
            "MQTT broker tcp://broker.lan:1883", "Connection refused", "frames and recording");
  }

  @Test
  void aBrokerSeenDownOnceIsABlipAndAConnectedOrAbsentBrokerIsNoProblem() {
    assertThat(
            kinds(
                assess(
                    Observations.healthy(now, "gate", "yard")
                        .mqtt(false, "connection lost: Connection reset")
                        .previous(
                            Observations.healthy(now.minusSeconds(10), "gate", "yard")
                                .mqtt(true, null)
                                .build()))))
        .as("down on this check only")
        .isEmpty();
    assertThat(
            kinds(
                assess(
                    Observations.healthy(now, "gate", "yard")
                        .mqtt(true, "connection lost: earlier")
                        .previous(mqttDown(now.minusSeconds(10))))))
        .as("connected again")
        .isEmpty();
    assertThat(
            kinds(
                assess(
                    Observations.healthy(now, "gate", "yard")
                        .previous(
                            Observations.healthy(now.minusSeconds(10), "gate", "yard").build()))))
        .as("no MQTT configured")
        .isEmpty();
  }

  @Test
  void aBrokerDownAloneDegradesTheMonitorWithAClearConditionAndNeverRestarts() {
    MutableClock clock = new MutableClock(now);
    HealthAssessor assessor = new HealthAssessor(clock);
    var ladder = new EscalationLadder(clock);
    var status = new CameraMonitorStatus();
    Observation before = mqttDown(now.minusSeconds(10));
    for (int check = 0; check < 5; check++) {
      Observation observation =
          Observations.healthy(clock.instant(), "gate", "yard")
              .mqtt(false, "the broker refused the credentials: check the credentials Secret")
              .previous(before)
              .build();
      Assessment assessment = assessor.assess(observation, monitor.getSpec());
      var transition =
          ladder.decide(new LadderInput(monitor, status, assessment, AiFixJobState.ABSENT));
      var supervision =
          HealthVerdicts.of(assessment, transition.status(), monitor.getSpec(), transition.phase());

      assertThat(assessment.restartMayHelp()).isFalse();
      assertThat(transition.actions()).as("check %d: no restart", check).isEmpty();
      assertThat(transition.phase()).isEqualTo(Phase.Degraded);
      assertThat(supervision.pipelineHealthy().status()).isEqualTo("True");
      assertThat(supervision.dependenciesHealthy().status()).isEqualTo("False");
      assertThat(supervision.dependenciesHealthy().reason()).isEqualTo("MqttDown");
      assertThat(supervision.dependenciesHealthy().message())
          .contains("MQTT broker", "refused the credentials");
      status = transition.status();
      before = observation;
      clock.advanceSeconds(10);
    }
    assertThat(status.getRecovery().getStage()).isEqualTo("External");
    assertThat(status.getRecovery().getRestarts()).isZero();
  }

  @Test
  void aBrokerDownDoesNotStopARestartForAPipelineProblem() {
    Assessment assessment =
        assess(
            Observations.healthy(now)
                .camera("gate", "STREAMING", now.minusSeconds(100), null)
                .camera("yard", "STREAMING", now.minusSeconds(100), null)
                .mqtt(false, "connection lost: Connection refused")
                .previous(mqttDown(now.minusSeconds(10))));

    assertThat(kinds(assessment)).containsExactlyInAnyOrder("FramesStale", "MqttDown");
    assertThat(assessment.restartMayHelp()).isTrue();
  }
}
