package io.homenvr.operator.health;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The pipeline's {@code /status} JSON (docs/status-contract.md). Timestamps stay strings so one odd
 * field never makes a whole heartbeat unreadable; {@link Times#parse} reads them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineHeartbeat(
    Integer schemaVersion,
    String time,
    String startedAt,
    List<Camera> cameras,
    Analysis analysis,
    Vision vision,
    Alerts alerts,
    ProcessInfo process,
    Storage storage,
    Mqtt mqtt) {

  public PipelineHeartbeat {
    cameras = cameras == null ? List.of() : List.copyOf(cameras);
  }

  /** A heartbeat of a pipeline without MQTT. */
  public PipelineHeartbeat(
      Integer schemaVersion,
      String time,
      String startedAt,
      List<Camera> cameras,
      Analysis analysis,
      Vision vision,
      Alerts alerts,
      ProcessInfo process,
      Storage storage) {
    this(schemaVersion, time, startedAt, cameras, analysis, vision, alerts, process, storage, null);
  }

  /**
   * One camera reader: STREAMING, CONNECTING, BACKOFF or STOPPED.
   *
   * @param connectedAt when the current session started streaming; null when not streaming
   * @param recording null from a pipeline that predates recording: not judged
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Camera(
      String name,
      String state,
      String url,
      String lastFrameAt,
      Long framesTotal,
      Double fps,
      Long reconnects,
      String lastError,
      String lastErrorAt,
      String connectedAt,
      Recording recording) {

    /** A camera as a pipeline without recording reports it. */
    public Camera(
        String name,
        String state,
        String url,
        String lastFrameAt,
        Long framesTotal,
        Double fps,
        Long reconnects,
        String lastError,
        String lastErrorAt) {
      this(
          name,
          state,
          url,
          lastFrameAt,
          framesTotal,
          fps,
          reconnects,
          lastError,
          lastErrorAt,
          null,
          null);
    }
  }

  /**
   * One camera's recording.
   *
   * @param mode continuous, events or off
   * @param state RECORDING, WAITING, STALLED, DISK_FULL, READ_ONLY, FAILED or OFF
   * @param lastSegmentAt end time of the newest closed segment; null before the first
   * @param gaps the last (at most 20) gaps in recording, oldest first
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Recording(
      String mode,
      String state,
      Integer segmentSeconds,
      String lastSegmentAt,
      Long segmentsTotal,
      Double bytesPerSecond,
      Long droppedPackets,
      String lastError,
      List<Gap> gaps) {
    public Recording {
      gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }
  }

  /** A time without recording; {@code end} is null while the gap is still open. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Gap(String start, String end, String cause) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Analysis(String lastTickAt, Long ticksTotal, Long analysesTotal) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Vision(
      Boolean configured, String mode, Boolean reachable, Long lastLatencyMs, String lastError) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Alerts(Long sent, Long failed, Long pending) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProcessInfo(
      Double cpuSecondsTotal, Integer threads, List<String> deadlockedThreads) {
    public ProcessInfo {
      deadlockedThreads = deadlockedThreads == null ? List.of() : List.copyOf(deadlockedThreads);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Storage(
      String path,
      Long usedBytes,
      Long freeBytes,
      Long totalBytes,
      Double freePercent,
      Double freeInodesPercent) {}

  /**
   * The MQTT broker as the pipeline sees it; null when none is configured.
   *
   * @param broker the broker URL, never with credentials
   * @param lastError the last failure (never a password)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mqtt(String broker, Boolean connected, String lastError, String lastErrorAt) {}
}
