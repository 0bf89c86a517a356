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
    Storage storage) {

  public PipelineHeartbeat {
    cameras = cameras == null ? List.of() : List.copyOf(cameras);
  }

  /** One camera reader: STREAMING, CONNECTING, BACKOFF or STOPPED. */
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
      String lastErrorAt) {}

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
}
