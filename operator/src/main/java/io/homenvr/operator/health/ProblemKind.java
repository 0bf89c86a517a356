package io.homenvr.operator.health;

import io.homenvr.api.v1alpha1.status.CauseClass;

/** Every kind of problem the assessor can find, each with whether a restart may help. */
public enum ProblemKind {
  /** No camera's frames advance although the pipeline is not reporting them down. */
  FramesStale(CauseClass.PIPELINE),
  /** One camera claims to stream but its newest frame is old (the frozen reader). */
  CameraStuck(CauseClass.PIPELINE),
  /**
   * The pod was ready at an earlier check and is not any more: its readiness probe fails (a wedged
   * pipeline), which is a problem at once, not a pod "starting".
   */
  PipelineUnready(CauseClass.PIPELINE),
  /** The pod runs but {@code /status} does not answer in time. */
  HeartbeatUnreachable(CauseClass.PIPELINE),
  /** The pipeline has not logged a line for longer than logStaleSeconds. */
  LogsStale(CauseClass.PIPELINE),
  /** Burning CPU above cpuSpinMillicores while no frame advances (the 300 % zombie). */
  CpuSpin(CauseClass.PIPELINE),
  /** The JVM's own deadlock check names threads. */
  Deadlock(CauseClass.PIPELINE),
  /** Error lines that match none of transientErrorPatterns. */
  SeriousErrors(CauseClass.PIPELINE),
  OOMKilled(CauseClass.PIPELINE),
  CrashLoopBackOff(CauseClass.PIPELINE),
  /** A camera's frames flow but no recording segment closes (the muxer wedged). */
  RecordingStalled(CauseClass.PIPELINE),
  /** A camera refuses or times out; the pipeline is retrying it. */
  CameraDown(CauseClass.EXTERNAL),
  /** The vision server does not answer. */
  VisionDown(CauseClass.EXTERNAL),
  /** The vision server answers but does not have the configured model. */
  VisionModelMissing(CauseClass.EXTERNAL),
  /**
   * The MQTT broker is down or refuses the credentials: the pipeline keeps working and retries, and
   * a restart would not bring the broker back (nor does it stop restarts for pipeline problems).
   */
  MqttDown(CauseClass.EXTERNAL),
  /** The pipeline's node reports memory, disk or PID pressure. */
  NodePressure(CauseClass.EXTERNAL),
  /** Free space or inodes of the data volume below minFreeDiskPercent. */
  DiskFull(CauseClass.EXTERNAL),
  /** The pipeline stopped recording a camera because its data volume is full or read-only. */
  RecordingBlocked(CauseClass.EXTERNAL),
  /** The scheduler cannot place the pipeline pod. */
  Unschedulable(CauseClass.EXTERNAL),
  /** The pipeline image cannot be pulled. */
  ImagePullFailed(CauseClass.EXTERNAL);

  private final CauseClass cause;

  ProblemKind(CauseClass cause) {
    this.cause = cause;
  }

  public CauseClass cause() {
    return cause;
  }
}
