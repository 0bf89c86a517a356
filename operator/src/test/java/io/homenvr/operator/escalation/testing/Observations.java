package io.homenvr.operator.escalation.testing;

import io.homenvr.operator.health.Observation;
import io.homenvr.operator.health.PipelineHeartbeat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Observations for tests, built from a healthy pipeline and bent one fact at a time. */
public final class Observations {
  private final Instant now;
  private Observation.PodState pod;
  private final List<PipelineHeartbeat.Camera> cameras = new ArrayList<>();
  private boolean reachable = true;
  private List<String> deadlocked = List.of();
  private Double cpuSeconds = 100.0;
  private PipelineHeartbeat.Storage storage =
      new PipelineHeartbeat.Storage("/data", 10L, 90L, 100L, 90.0, 90.0);
  private PipelineHeartbeat.Vision vision = null;
  private PipelineHeartbeat.Mqtt mqtt = null;
  private Observation.LogTail logs;
  private Long cpuMillicores = 300L;
  private Observation.VisionCheck visionCheck = Observation.VisionCheck.notChecked();
  private Set<String> nodePressure = Set.of();
  private Observation previous;

  private Observations(Instant now) {
    this.now = now;
    this.pod = runningPod(now.minusSeconds(3600));
    this.logs =
        new Observation.LogTail(
            true,
            List.of(new Observation.LogLine(now.minusSeconds(5), "INFO summary: 2 cameras")),
            null);
  }

  /** A pipeline up for an hour whose cameras all stream. */
  public static Observations healthy(Instant now, String... cameraNames) {
    Observations o = new Observations(now);
    for (String name : cameraNames.length == 0 ? new String[] {"gate"} : cameraNames) {
      o.camera(name, "STREAMING", now.minusMillis(200), null);
    }
    return o;
  }

  public static Observation.PodState runningPod(Instant startedAt) {
    return new Observation.PodState(
        "home-pipeline-abc",
        "Running",
        "node-1",
        true,
        startedAt,
        0,
        null,
        null,
        null,
        null,
        null,
        startedAt == null ? null : startedAt.minusSeconds(2));
  }

  public Observations camera(String name, String state, Instant lastFrame, String lastError) {
    cameras.removeIf(c -> c.name().equals(name));
    cameras.add(
        new PipelineHeartbeat.Camera(
            name,
            state,
            "rtsp://127.0.0.1/" + name,
            lastFrame == null ? null : lastFrame.toString(),
            1000L,
            5.0,
            0L,
            lastError,
            lastError == null ? null : now.toString()));
    return this;
  }

  public Observations framesTotal(String name, long total) {
    return change(
        name,
        c ->
            new PipelineHeartbeat.Camera(
                c.name(),
                c.state(),
                c.url(),
                c.lastFrameAt(),
                total,
                c.fps(),
                c.reconnects(),
                c.lastError(),
                c.lastErrorAt(),
                c.connectedAt(),
                c.recording()));
  }

  /** When the camera's current session started streaming. */
  public Observations connectedAt(String name, Instant connectedAt) {
    return change(
        name,
        c ->
            new PipelineHeartbeat.Camera(
                c.name(),
                c.state(),
                c.url(),
                c.lastFrameAt(),
                c.framesTotal(),
                c.fps(),
                c.reconnects(),
                c.lastError(),
                c.lastErrorAt(),
                connectedAt == null ? null : connectedAt.toString(),
                c.recording()));
  }

  /** The camera's recording block, as /status reports it. */
  public Observations recording(
      String name,
      String mode,
      String state,
      Instant lastSegmentAt,
      String lastError,
      PipelineHeartbeat.Gap... gaps) {
    PipelineHeartbeat.Recording recording =
        new PipelineHeartbeat.Recording(
            mode,
            state,
            10,
            lastSegmentAt == null ? null : lastSegmentAt.toString(),
            42L,
            250_000.0,
            0L,
            lastError,
            List.of(gaps));
    return change(
        name,
        c ->
            new PipelineHeartbeat.Camera(
                c.name(),
                c.state(),
                c.url(),
                c.lastFrameAt(),
                c.framesTotal(),
                c.fps(),
                c.reconnects(),
                c.lastError(),
                c.lastErrorAt(),
                c.connectedAt(),
                recording));
  }

  private Observations change(String name, UnaryOperator<PipelineHeartbeat.Camera> change) {
    cameras.replaceAll(c -> c.name().equals(name) ? change.apply(c) : c);
    return this;
  }

  public Observations pod(Observation.PodState pod) {
    this.pod = pod;
    return this;
  }

  public Observations unreachable() {
    this.reachable = false;
    return this;
  }

  public Observations deadlocked(String... threads) {
    this.deadlocked = List.of(threads);
    return this;
  }

  public Observations cpuMillicores(Long millicores) {
    this.cpuMillicores = millicores;
    return this;
  }

  public Observations cpuSeconds(double seconds) {
    this.cpuSeconds = seconds;
    return this;
  }

  public Observations storage(double freePercent, double freeInodesPercent) {
    this.storage =
        new PipelineHeartbeat.Storage("/data", 1L, 1L, 100L, freePercent, freeInodesPercent);
    return this;
  }

  public Observations pipelineVision(boolean reachable, String error) {
    this.vision =
        new PipelineHeartbeat.Vision(true, reachable ? "llm" : "fallback", reachable, 100L, error);
    return this;
  }

  /** The pipeline's MQTT broker: connected, or not with this error. */
  public Observations mqtt(boolean connected, String lastError) {
    this.mqtt =
        new PipelineHeartbeat.Mqtt(
            "tcp://broker.lan:1883", connected, lastError, connected ? null : now.toString());
    return this;
  }

  public Observations logs(Observation.LogLine... lines) {
    this.logs = new Observation.LogTail(true, List.of(lines), null);
    return this;
  }

  public Observations visionCheck(Observation.VisionCheck check) {
    this.visionCheck = check;
    return this;
  }

  public Observations nodePressure(String... conditions) {
    this.nodePressure = Set.of(conditions);
    return this;
  }

  public Observations previous(Observation previous) {
    this.previous = previous;
    return this;
  }

  public Observation build() {
    PipelineHeartbeat heartbeat =
        new PipelineHeartbeat(
            1,
            now.toString(),
            pod.containerStartedAt() == null ? null : pod.containerStartedAt().toString(),
            cameras,
            new PipelineHeartbeat.Analysis(now.toString(), 10L, 2L),
            vision,
            new PipelineHeartbeat.Alerts(0L, 0L, 0L),
            new PipelineHeartbeat.ProcessInfo(cpuSeconds, 40, deadlocked),
            storage,
            mqtt);
    Observation.HeartbeatResult result =
        reachable
            ? Observation.HeartbeatResult.of(heartbeat, "{\"schemaVersion\":1}")
            : Observation.HeartbeatResult.unreachable("HttpTimeoutException: request timed out");
    return new Observation(
            now, pod, result, logs, cpuMillicores, visionCheck, nodePressure, previous)
        .withPrevious(previous);
  }
}
