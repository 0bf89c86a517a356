package io.homenvr.operator.health;

import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.HealthSpec;
import io.homenvr.api.v1alpha1.spec.RecordSpec;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.RecordingStatus;
import io.homenvr.operator.secrets.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one {@link Observation} into problems, each PIPELINE (a restart may help) or EXTERNAL (it
 * will not). Pure: the only time it knows comes from the injected clock and the heartbeat itself.
 */
public class HealthAssessor {
  private static final Pattern ERROR_LINE =
      Pattern.compile("\\b(ERROR|SEVERE|FATAL)\\b|Exception in thread|OutOfMemoryError");
  private static final Set<String> IMAGE_PULL_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

  private final Clock clock;

  public HealthAssessor(Clock clock) {
    this.clock = clock;
  }

  public Assessment assess(Observation observation, CameraMonitorSpec spec) {
    Instant now = clock.instant();
    List<String> cameraNames = spec.getCameras().stream().map(CameraSpec::getName).toList();
    if (observation == null || !observation.pod().exists()) {
      return Assessment.notJudged(now, unknownCameras(cameraNames));
    }
    HealthSpec health = spec.getHealth();
    List<Problem> problems = new ArrayList<>();
    Observation.PodState pod = observation.pod();

    podProblems(pod, health, now, problems);
    if (pod.containerRunning() && pod.becameUnready()) {
      // it was ready at an earlier check, so this is not a start-up: no warm-up grace
      add(
          problems,
          ProblemKind.PipelineUnready,
          null,
          "pod %s was ready and is not any more: its readiness probe (/healthz) fails"
              .formatted(pod.name()));
    }
    if (!observation.nodePressure().isEmpty()) {
      add(
          problems,
          ProblemKind.NodePressure,
          null,
          "node %s reports %s"
              .formatted(pod.nodeName(), String.join(", ", observation.nodePressure())));
    }

    if (!pod.containerRunning() && problems.isEmpty()) {
      // created but not yet running (waiting for a node, pulling the image, mounting volumes)
      // and nothing says it is stuck: not a healthy pipeline, not yet one to judge
      return Assessment.notJudged(now, unknownCameras(cameraNames));
    }

    // a JVM that just started answers late, burns CPU on JIT and has no frames yet: none of that
    // counts until it has run frameStaleSeconds (OOMKilled and CrashLoopBackOff still do)
    boolean warmingUp = !runningFor(pod, now, health.getFrameStaleSeconds());
    List<CameraStatus> cameras = unknownCameras(cameraNames);
    List<Assessment.RecordingGap> gaps = new ArrayList<>();
    boolean progress = false;
    Observation.HeartbeatResult heartbeat = observation.heartbeat();
    if (pod.containerRunning() && heartbeat != null && heartbeat.reachable()) {
      PipelineHeartbeat status = heartbeat.status();
      Instant pipelineNow = Objects.requireNonNullElse(Times.parse(status.time()), now);
      Instant reference =
          Objects.requireNonNullElse(Times.parse(status.startedAt()), pod.containerStartedAt());
      cameras =
          cameraProblems(status, cameraNames, pipelineNow, reference, health, warmingUp, problems);
      recordingProblems(status, spec, cameras, pipelineNow, reference, warmingUp, problems, gaps);
      progress = framesAdvanced(observation, cameras);
      heartbeatProblems(status, spec, health, problems);
      mqttProblems(status, observation.previous(), problems);
    } else if (pod.containerRunning() && !warmingUp) {
      add(
          problems,
          ProblemKind.HeartbeatUnreachable,
          null,
          "the pod runs but /status did not answer: "
              + (heartbeat == null ? "not checked" : heartbeat.error()));
    }

    if (pod.containerRunning()) {
      logProblems(observation.logs(), pod, health, now, warmingUp, problems);
      Long cpu = cpuMillicores(observation);
      if (cpu != null && cpu >= health.getCpuSpinMillicores() && !warmingUp && !progress) {
        add(
            problems,
            ProblemKind.CpuSpin,
            null,
            "the pipeline burns %dm CPU (threshold %dm) while no frame advances"
                .formatted(cpu, health.getCpuSpinMillicores()));
      }
    }
    visionProblems(observation.vision(), spec, problems);
    return new Assessment(
        now,
        true,
        problems,
        cameras,
        observation.observedAt(),
        progress,
        warmingUp,
        new Assessment.Pod(pod.name(), pod.createdAt()),
        gaps);
  }

  private void podProblems(
      Observation.PodState pod, HealthSpec health, Instant now, List<Problem> problems) {
    if (pod.unschedulableMessage() != null) {
      add(
          problems,
          ProblemKind.Unschedulable,
          null,
          "pod cannot be scheduled: " + pod.unschedulableMessage());
    }
    if ("CrashLoopBackOff".equals(pod.waitingReason())) {
      add(
          problems,
          ProblemKind.CrashLoopBackOff,
          null,
          "the pipeline container keeps exiting (restarts: %d, last exit: %s)"
              .formatted(pod.restartCount(), pod.lastTerminationReason()));
    }
    if (pod.waitingReason() != null && IMAGE_PULL_REASONS.contains(pod.waitingReason())) {
      add(
          problems,
          ProblemKind.ImagePullFailed,
          null,
          pod.waitingReason() + ": " + Objects.requireNonNullElse(pod.waitingMessage(), ""));
    }
    if ("OOMKilled".equals(pod.lastTerminationReason())
        && pod.lastTerminatedAt() != null
        && !pod.lastTerminatedAt().isBefore(now.minusSeconds(health.getLogStaleSeconds()))) {
      add(
          problems,
          ProblemKind.OOMKilled,
          null,
          "the pipeline container was OOMKilled at %s (restarts: %d)"
              .formatted(pod.lastTerminatedAt(), pod.restartCount()));
    }
  }

  private List<CameraStatus> cameraProblems(
      PipelineHeartbeat status,
      List<String> cameraNames,
      Instant pipelineNow,
      Instant reference,
      HealthSpec health,
      boolean warmingUp,
      List<Problem> problems) {
    int staleSeconds = health.getFrameStaleSeconds();
    List<CameraStatus> cameras = new ArrayList<>();
    List<String> stuck = new ArrayList<>();
    List<String> stuckMessages = new ArrayList<>();
    for (String name : cameraNames) {
      PipelineHeartbeat.Camera camera =
          status.cameras().stream().filter(c -> name.equals(c.name())).findFirst().orElse(null);
      CameraStatus out = new CameraStatus(name, "Unknown");
      cameras.add(out);
      if (camera == null) {
        continue;
      }
      Instant lastFrame = Times.parse(camera.lastFrameAt());
      out.setLastFrameTime(Times.format(lastFrame));
      out.setFps(camera.fps());
      out.setReconnects(camera.reconnects());
      out.setMessage(camera.lastError() == null ? null : Redactor.redactShapes(camera.lastError()));
      Instant since = lastFrame != null ? lastFrame : reference;
      long age = since == null ? 0 : Duration.between(since, pipelineNow).toSeconds();
      boolean stale = stale(since, pipelineNow, staleSeconds);
      String state = Objects.requireNonNullElse(camera.state(), "");
      switch (state) {
        case "STREAMING", "STOPPED" -> {
          out.setState(stale ? "Stale" : "Streaming");
          if (stale) {
            stuck.add(name);
            stuckMessages.add(
                "camera %s is %s but its newest frame is %ds old (limit %ds)"
                    .formatted(name, state, age, staleSeconds));
          }
        }
        case "CONNECTING", "BACKOFF" -> {
          out.setState(stale ? "Down" : "Connecting");
          if (stale) {
            add(
                problems,
                ProblemKind.CameraDown,
                name,
                "camera %s has sent no frame for %ds; the pipeline keeps reconnecting (%s)"
                    .formatted(
                        name,
                        age,
                        camera.lastError() == null
                            ? "no error reported"
                            : Redactor.redactShapes(camera.lastError())));
          }
        }
        default -> out.setState("Unknown");
      }
    }
    if (warmingUp) {
      return cameras;
    }
    if (!stuck.isEmpty() && stuck.size() == cameraNames.size()) {
      add(
          problems,
          ProblemKind.FramesStale,
          null,
          "no camera's frames advance: " + String.join("; ", stuckMessages));
    } else {
      for (int i = 0; i < stuck.size(); i++) {
        add(problems, ProblemKind.CameraStuck, stuck.get(i), stuckMessages.get(i));
      }
    }
    return cameras;
  }

  /**
   * Whether a frame at {@code lastFrame} is stale at {@code pipelineNow} (both on the pipeline's
   * clock): older than {@code staleSeconds} in whole seconds. The one definition the checks and the
   * observer's heartbeat probe share, so a probe never calls for a check that then disagrees.
   */
  public static boolean stale(Instant lastFrame, Instant pipelineNow, int staleSeconds) {
    return lastFrame != null
        && pipelineNow != null
        && Duration.between(lastFrame, pipelineNow).toSeconds() > staleSeconds;
  }

  /**
   * Recording is judged like frame flow: a camera whose frames are fresh but whose newest segment
   * is older than 2 x segmentSeconds + 10 s has a wedged recorder (PIPELINE); a full or read-only
   * volume stops recording cleanly, and no restart frees space (EXTERNAL). A pipeline that does not
   * report recording is not judged on it.
   */
  private void recordingProblems(
      PipelineHeartbeat status,
      CameraMonitorSpec spec,
      List<CameraStatus> cameras,
      Instant pipelineNow,
      Instant startedAt,
      boolean warmingUp,
      List<Problem> problems,
      List<Assessment.RecordingGap> gaps) {
    for (CameraStatus out : cameras) {
      PipelineHeartbeat.Camera camera =
          status.cameras().stream()
              .filter(c -> out.getName().equals(c.name()))
              .findFirst()
              .orElse(null);
      PipelineHeartbeat.Recording recording = camera == null ? null : camera.recording();
      if (recording == null) {
        continue;
      }
      String lastError =
          recording.lastError() == null ? null : Redactor.redactShapes(recording.lastError());
      out.setRecording(
          new RecordingStatus(
              recording.state(), Times.format(Times.parse(recording.lastSegmentAt())), lastError));
      for (PipelineHeartbeat.Gap gap : recording.gaps()) {
        Instant start = Times.parse(gap.start());
        Instant end = Times.parse(gap.end());
        if (start != null && end != null) {
          gaps.add(
              new Assessment.RecordingGap(
                  out.getName(),
                  start,
                  end,
                  gap.cause() == null ? null : Redactor.redactShapes(gap.cause())));
        }
      }
      String state = Objects.requireNonNullElse(recording.state(), "");
      if (state.equals("DISK_FULL") || state.equals("READ_ONLY")) {
        add(
            problems,
            ProblemKind.RecordingBlocked,
            out.getName(),
            "camera %s is not recording: %s (%s); restarting will not help: the data volume is %s"
                .formatted(
                    out.getName(),
                    state,
                    Objects.requireNonNullElse(lastError, "no error reported"),
                    state.equals("DISK_FULL") ? "full" : "read-only"));
        continue;
      }
      boolean off =
          "off".equalsIgnoreCase(recording.mode())
              || state.equals("OFF")
              || recordsNothing(spec, out);
      // a camera whose frames are not flowing is the camera rules' business, not recording's
      if (off || warmingUp || !"Streaming".equals(out.getState())) {
        continue;
      }
      int segmentSeconds =
          recording.segmentSeconds() != null && recording.segmentSeconds() > 0
              ? recording.segmentSeconds()
              : segmentSeconds(spec, out);
      if (state.equals("STALLED")) {
        // the pipeline's own watchdog: packets queue, its writer took none for a segment's length
        add(
            problems,
            ProblemKind.RecordingStalled,
            out.getName(),
            "camera %s: frames flow but its recorder is stuck (the pipeline reports STALLED:"
                    .formatted(out.getName())
                + " packets wait and none was written for %ds or more%s)"
                    .formatted(
                        Math.max(5, segmentSeconds), lastError == null ? "" : "; " + lastError));
        continue;
      }
      long limit = 2L * segmentSeconds + 10;
      Instant lastSegment = Times.parse(recording.lastSegmentAt());
      // from the latest of the newest segment, the start of the current session and the start of
      // the process: a camera that just reconnected gets a whole limit for its first segment
      Instant since = latest(lastSegment, Times.parse(camera.connectedAt()), startedAt);
      if (since == null) {
        continue;
      }
      // frames must have kept coming for a segment's length after recording's last progress: a
      // camera whose capture stopped stops its recording too, and that is the camera rules' case
      // (its frames go stale at about the same time as the recording limit passes)
      Instant lastFrame = Times.parse(camera.lastFrameAt());
      if (lastFrame == null || !lastFrame.isAfter(since.plusSeconds(segmentSeconds))) {
        continue;
      }
      long age = Duration.between(since, pipelineNow).toSeconds();
      if (age > limit) {
        add(
            problems,
            ProblemKind.RecordingStalled,
            out.getName(),
            (since.equals(lastSegment)
                        ? "camera %s: frames flow but its newest recording segment ended %ds ago"
                        : "camera %s: frames flow but no recording segment was closed in the %ds"
                            + " since it started streaming")
                    .formatted(out.getName(), age)
                + " (limit %ds = 2 x %ds segments + 10s; recording state %s%s)"
                    .formatted(
                        limit,
                        segmentSeconds,
                        state.isEmpty() ? "unknown" : state,
                        lastError == null ? "" : ", " + lastError));
      }
    }
  }

  private static boolean recordsNothing(CameraMonitorSpec spec, CameraStatus camera) {
    RecordSpec record = recordSpec(spec, camera);
    return record != null && record.getMode() == RecordSpec.Mode.OFF;
  }

  private static int segmentSeconds(CameraMonitorSpec spec, CameraStatus camera) {
    RecordSpec record = recordSpec(spec, camera);
    return record == null || record.getSegmentSeconds() == null
        ? new RecordSpec().getSegmentSeconds()
        : record.getSegmentSeconds();
  }

  private static RecordSpec recordSpec(CameraMonitorSpec spec, CameraStatus camera) {
    return spec.getCameras().stream()
        .filter(c -> camera.getName().equals(c.getName()))
        .map(CameraSpec::getRecord)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static Instant latest(Instant... instants) {
    Instant latest = null;
    for (Instant instant : instants) {
      if (instant != null && (latest == null || instant.isAfter(latest))) {
        latest = instant;
      }
    }
    return latest;
  }

  private void heartbeatProblems(
      PipelineHeartbeat status, CameraMonitorSpec spec, HealthSpec health, List<Problem> problems) {
    if (status.process() != null && !status.process().deadlockedThreads().isEmpty()) {
      add(
          problems,
          ProblemKind.Deadlock,
          null,
          "the JVM reports deadlocked threads: "
              + String.join(", ", status.process().deadlockedThreads()));
    }
    PipelineHeartbeat.Storage storage = status.storage();
    int minFree = health.getMinFreeDiskPercent();
    if (storage != null
        && ((storage.freePercent() != null && storage.freePercent() < minFree)
            || (storage.freeInodesPercent() != null && storage.freeInodesPercent() < minFree))) {
      add(
          problems,
          ProblemKind.DiskFull,
          null,
          "data volume %s: %.1f%% space and %.1f%% inodes free (minimum %d%%)"
              .formatted(
                  storage.path(),
                  Objects.requireNonNullElse(storage.freePercent(), 100.0),
                  Objects.requireNonNullElse(storage.freeInodesPercent(), 100.0),
                  minFree));
    }
    PipelineHeartbeat.Vision vision = status.vision();
    boolean operatorChecksVision =
        spec.getVision() != null
            && spec.getVision().getApi() == io.homenvr.api.v1alpha1.spec.VisionSpec.Api.OLLAMA;
    if (!operatorChecksVision
        && vision != null
        && Boolean.TRUE.equals(vision.configured())
        && Boolean.FALSE.equals(vision.reachable())) {
      add(
          problems,
          ProblemKind.VisionDown,
          null,
          "the pipeline cannot reach the vision server: "
              + Objects.requireNonNullElse(vision.lastError(), "no error reported"));
    }
  }

  /**
   * The broker is down when the pipeline says it is disconnected with an error on this check and on
   * the one before (a broker restart that the pipeline rides out in a second is not an outage).
   * EXTERNAL: frames and recording go on, and a restart brings no broker back.
   */
  private static void mqttProblems(
      PipelineHeartbeat status, Observation previous, List<Problem> problems) {
    PipelineHeartbeat.Mqtt mqtt = status.mqtt();
    if (!mqttDown(mqtt)) {
      return;
    }
    PipelineHeartbeat.Mqtt before =
        previous == null || previous.heartbeat() == null || !previous.heartbeat().reachable()
            ? null
            : previous.heartbeat().status().mqtt();
    if (!mqttDown(before)) {
      return;
    }
    add(
        problems,
        ProblemKind.MqttDown,
        null,
        "MQTT broker %s: %s (frames and recording go on; Home Assistant gets no updates until the"
                .formatted(
                    Objects.requireNonNullElse(mqtt.broker(), "?"),
                    Redactor.redactShapes(mqtt.lastError()))
            + " pipeline reconnects, which it keeps trying)");
  }

  private static boolean mqttDown(PipelineHeartbeat.Mqtt mqtt) {
    return mqtt != null && Boolean.FALSE.equals(mqtt.connected()) && mqtt.lastError() != null;
  }

  private void logProblems(
      Observation.LogTail logs,
      Observation.PodState pod,
      HealthSpec health,
      Instant now,
      boolean warmingUp,
      List<Problem> problems) {
    if (logs == null || !logs.available()) {
      return;
    }
    int logStale = health.getLogStaleSeconds();
    Instant newest = logs.newestLineAt();
    // lines whose time could not be read say nothing about silence: never "silent since start"
    boolean untimedOnly = newest == null && !logs.lines().isEmpty();
    Instant since = newest != null ? newest : pod.containerStartedAt();
    if (!warmingUp
        && !untimedOnly
        && runningFor(pod, now, logStale)
        && since != null
        && Duration.between(since, now).toSeconds() > logStale) {
      add(
          problems,
          ProblemKind.LogsStale,
          null,
          "no log line for %ds (limit %ds)"
              .formatted(Duration.between(since, now).toSeconds(), logStale));
    }
    List<Pattern> transients = transientPatterns(health);
    Instant window =
        now.minusSeconds(
            Math.max(health.getFrameStaleSeconds(), 2L * health.getCheckIntervalSeconds()));
    List<Observation.LogLine> serious =
        logs.lines().stream()
            // a line of unknown time is not known to be recent: it cannot restart anything
            .filter(line -> line.at() != null && !line.at().isBefore(window))
            .filter(line -> ERROR_LINE.matcher(line.text()).find())
            .filter(line -> transients.stream().noneMatch(t -> t.matcher(line.text()).find()))
            .toList();
    if (!serious.isEmpty()) {
      add(
          problems,
          ProblemKind.SeriousErrors,
          null,
          "%d error line(s) matching no transientErrorPatterns, latest: %s"
              .formatted(
                  serious.size(),
                  Redactor.redactShapes(truncate(serious.get(serious.size() - 1).text(), 300))));
    }
  }

  private void visionProblems(
      Observation.VisionCheck vision, CameraMonitorSpec spec, List<Problem> problems) {
    if (vision == null || !vision.checked()) {
      return;
    }
    String endpoint = spec.getVision() == null ? "" : spec.getVision().getEndpoint();
    if (!vision.reachable()) {
      add(
          problems,
          ProblemKind.VisionDown,
          null,
          "vision server %s does not answer: %s".formatted(endpoint, vision.error()));
    } else if (!vision.modelPresent()) {
      add(
          problems,
          ProblemKind.VisionModelMissing,
          null,
          "vision server %s does not have model %s (ollama pull it)"
              .formatted(endpoint, spec.getVision().getModel()));
    }
  }

  /** CPU from metrics.k8s.io, else from the growth of the pipeline's own CPU seconds. */
  static Long cpuMillicores(Observation observation) {
    if (observation.cpuMillicores() != null) {
      return observation.cpuMillicores();
    }
    Observation previous = observation.previous();
    Double now = cpuSeconds(observation);
    Double before = previous == null ? null : cpuSeconds(previous);
    if (now == null || before == null || now < before) {
      return null;
    }
    long millis = Duration.between(previous.observedAt(), observation.observedAt()).toMillis();
    return millis <= 0 ? null : Math.round((now - before) * 1_000_000.0 / millis);
  }

  private static Double cpuSeconds(Observation observation) {
    Observation.HeartbeatResult heartbeat = observation.heartbeat();
    if (heartbeat == null || !heartbeat.reachable() || heartbeat.status().process() == null) {
      return null;
    }
    return heartbeat.status().process().cpuSecondsTotal();
  }

  /**
   * Frames counted since the previous observation of the same process, or, without one (first
   * check, or a new pod or process since), some camera has a fresh frame.
   */
  private static boolean framesAdvanced(Observation observation, List<CameraStatus> cameras) {
    Observation previous = observation.previous();
    if (sameProcess(previous, observation)) {
      long before = totalFrames(previous.heartbeat().status());
      long now = totalFrames(observation.heartbeat().status());
      return now != before; // a smaller count is the pipeline counting again
    }
    return cameras.stream().anyMatch(c -> "Streaming".equals(c.getState()));
  }

  private static boolean sameProcess(Observation previous, Observation current) {
    return previous != null
        && previous.heartbeat() != null
        && previous.heartbeat().reachable()
        && Objects.equals(previous.pod().name(), current.pod().name())
        && Objects.equals(
            previous.heartbeat().status().startedAt(), current.heartbeat().status().startedAt());
  }

  private static long totalFrames(PipelineHeartbeat status) {
    return status.cameras().stream()
        .map(PipelineHeartbeat.Camera::framesTotal)
        .filter(Objects::nonNull)
        .mapToLong(Long::longValue)
        .sum();
  }

  private static boolean runningFor(Observation.PodState pod, Instant now, long seconds) {
    return pod.containerRunning()
        && pod.containerStartedAt() != null
        && !pod.containerStartedAt().plusSeconds(seconds).isAfter(now);
  }

  private static List<Pattern> transientPatterns(HealthSpec health) {
    return health.getTransientErrorPatterns().stream().map(HealthAssessor::compile).toList();
  }

  private static Pattern compile(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException notARegex) {
      return Pattern.compile(Pattern.quote(pattern));
    }
  }

  private static List<CameraStatus> unknownCameras(List<String> names) {
    return names.stream().map(n -> new CameraStatus(n, "Unknown")).toList();
  }

  private static void add(List<Problem> problems, ProblemKind kind, String camera, String message) {
    problems.add(new Problem(kind.name(), kind.cause(), camera, message));
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
