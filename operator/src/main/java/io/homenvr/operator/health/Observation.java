package io.homenvr.operator.health;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything one health check saw of one CameraMonitor's pipeline, immutable. Parts that could not
 * be read say so instead of being absent, so the assessor can tell "down" from "not looked at".
 *
 * @param previous the observation before this one, without its own previous (for deltas)
 * @param monitorUid the {@code metadata.uid} of the CameraMonitor it was made for; null when not
 *     known (tests). A CameraMonitor re-created under the same name has another uid and must not be
 *     judged on what was seen for the old one.
 */
public record Observation(
    Instant observedAt,
    PodState pod,
    HeartbeatResult heartbeat,
    LogTail logs,
    Long cpuMillicores,
    VisionCheck vision,
    Set<String> nodePressure,
    Observation previous,
    String monitorUid) {

  public Observation {
    nodePressure = nodePressure == null ? Set.of() : Set.copyOf(nodePressure);
  }

  /** An observation not tied to one CameraMonitor object (its uid unknown). */
  public Observation(
      Instant observedAt,
      PodState pod,
      HeartbeatResult heartbeat,
      LogTail logs,
      Long cpuMillicores,
      VisionCheck vision,
      Set<String> nodePressure,
      Observation previous) {
    this(observedAt, pod, heartbeat, logs, cpuMillicores, vision, nodePressure, previous, null);
  }

  /** The same observation, forgetting its predecessor (keeps the chain one link long). */
  public Observation withoutPrevious() {
    return new Observation(
        observedAt, pod, heartbeat, logs, cpuMillicores, vision, nodePressure, null, monitorUid);
  }

  public Observation withPrevious(Observation before) {
    return new Observation(
        observedAt,
        pod,
        heartbeat,
        logs,
        cpuMillicores,
        vision,
        nodePressure,
        before == null ? null : before.withoutPrevious(),
        monitorUid);
  }

  /** The same observation, as made for the CameraMonitor object with this uid. */
  public Observation forMonitor(String uid) {
    return new Observation(
        observedAt, pod, heartbeat, logs, cpuMillicores, vision, nodePressure, previous, uid);
  }

  /**
   * Whether this observation may be judged for {@code uid}: made for that very object, or for an
   * unknown one. One made for an object since deleted (same name, other uid) may not.
   */
  public boolean isFor(String uid) {
    return monitorUid == null || uid == null || monitorUid.equals(uid);
  }

  /** The same observation with the pod's readiness history. */
  public Observation withPod(PodState pod) {
    return new Observation(
        observedAt,
        pod,
        heartbeat,
        logs,
        cpuMillicores,
        vision,
        nodePressure,
        previous,
        monitorUid);
  }

  /**
   * The pipeline pod and its container.
   *
   * @param name null when no pod exists
   * @param phase Pending, Running, Succeeded, Failed, Unknown
   * @param unschedulableMessage the scheduler's reason when the pod cannot be placed
   * @param waitingReason e.g. CrashLoopBackOff, ImagePullBackOff, ContainerCreating
   * @param lastTerminationReason e.g. OOMKilled, Error
   * @param createdAt the pod's creationTimestamp (API server clock)
   * @param ready the pipeline container's readiness (its probe); null when not known
   * @param wasReady this pod was seen ready at some check before (the observer remembers it)
   */
  public record PodState(
      String name,
      String phase,
      String nodeName,
      boolean containerRunning,
      Instant containerStartedAt,
      int restartCount,
      String waitingReason,
      String waitingMessage,
      String lastTerminationReason,
      Instant lastTerminatedAt,
      String unschedulableMessage,
      Instant createdAt,
      Boolean ready,
      boolean wasReady) {

    /** A pod whose readiness is not known. */
    public PodState(
        String name,
        String phase,
        String nodeName,
        boolean containerRunning,
        Instant containerStartedAt,
        int restartCount,
        String waitingReason,
        String waitingMessage,
        String lastTerminationReason,
        Instant lastTerminatedAt,
        String unschedulableMessage,
        Instant createdAt) {
      this(
          name,
          phase,
          nodeName,
          containerRunning,
          containerStartedAt,
          restartCount,
          waitingReason,
          waitingMessage,
          lastTerminationReason,
          lastTerminatedAt,
          unschedulableMessage,
          createdAt,
          null,
          false);
    }

    public static PodState none() {
      return new PodState(null, null, null, false, null, 0, null, null, null, null, null, null);
    }

    /** The same pod, remembered as ready at an earlier check. */
    public PodState rememberedReady() {
      return new PodState(
          name,
          phase,
          nodeName,
          containerRunning,
          containerStartedAt,
          restartCount,
          waitingReason,
          waitingMessage,
          lastTerminationReason,
          lastTerminatedAt,
          unschedulableMessage,
          createdAt,
          ready,
          true);
    }

    /** Ready before, not ready now: the pod stopped answering its readiness probe. */
    public boolean becameUnready() {
      return wasReady && Boolean.FALSE.equals(ready);
    }

    public boolean exists() {
      return name != null;
    }
  }

  /** The {@code /status} call: reachable with its parsed body and raw JSON, or why not. */
  public record HeartbeatResult(
      boolean reachable, PipelineHeartbeat status, String rawJson, String error) {
    public static HeartbeatResult unreachable(String error) {
      return new HeartbeatResult(false, null, null, error);
    }

    public static HeartbeatResult of(PipelineHeartbeat status, String rawJson) {
      return new HeartbeatResult(true, status, rawJson, null);
    }
  }

  /** The container's log tail with Kubernetes timestamps, oldest first. */
  public record LogTail(boolean available, List<LogLine> lines, String error) {
    public LogTail {
      lines = lines == null ? List.of() : List.copyOf(lines);
    }

    public static LogTail unavailable(String error) {
      return new LogTail(false, List.of(), error);
    }

    public Instant newestLineAt() {
      return lines.isEmpty() ? null : lines.get(lines.size() - 1).at();
    }
  }

  /** One log line; {@code at} is the kubelet's timestamp, null if it had none. */
  public record LogLine(Instant at, String text) {}

  /**
   * The vision server as the operator itself sees it.
   *
   * @param checked false when there is no vision server or its API has no model list to check
   */
  public record VisionCheck(
      boolean checked, boolean reachable, boolean modelPresent, String error) {
    public static VisionCheck notChecked() {
      return new VisionCheck(false, false, false, null);
    }
  }
}
