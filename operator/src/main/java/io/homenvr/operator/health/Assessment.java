package io.homenvr.operator.health;

import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Problem;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one health check concluded.
 *
 * @param judged false when there was nothing to judge yet (no pod, no observation)
 * @param observedAt when the judged observation was made; a reconcile may judge it again
 * @param framesAdvancing the heartbeat answered and frames were counted since the previous check
 *     (for a new process: some camera has a fresh frame)
 * @param warmingUp the container started less than frameStaleSeconds ago, so the problems a
 *     start-up looks like were not counted yet
 * @param pod the pipeline pod that was looked at; null when not judged
 * @param recordingGaps the closed gaps in recording the heartbeat lists, per camera, oldest first
 */
public record Assessment(
    Instant at,
    boolean judged,
    List<Problem> problems,
    List<CameraStatus> cameras,
    Instant observedAt,
    boolean framesAdvancing,
    boolean warmingUp,
    Pod pod,
    List<RecordingGap> recordingGaps) {

  /** The pod a check looked at (never one already terminating). */
  public record Pod(String name, Instant createdAt) {}

  /** A closed gap in a camera's recording, times on the pipeline's clock. */
  public record RecordingGap(String camera, Instant start, Instant end, String cause) {}

  /** Problems that make every restart pointless, whatever else is wrong. */
  private static final Set<ProblemKind> RESTART_WONT_HELP =
      EnumSet.of(
          ProblemKind.NodePressure,
          ProblemKind.DiskFull,
          ProblemKind.RecordingBlocked,
          ProblemKind.Unschedulable,
          ProblemKind.ImagePullFailed);

  public Assessment {
    problems = List.copyOf(problems);
    cameras = List.copyOf(cameras);
    recordingGaps = recordingGaps == null ? List.of() : List.copyOf(recordingGaps);
  }

  /** An assessment of a pipeline that reports no gaps in recording. */
  public Assessment(
      Instant at,
      boolean judged,
      List<Problem> problems,
      List<CameraStatus> cameras,
      Instant observedAt,
      boolean framesAdvancing,
      boolean warmingUp,
      Pod pod) {
    this(at, judged, problems, cameras, observedAt, framesAdvancing, warmingUp, pod, List.of());
  }

  public static Assessment notJudged(Instant at, List<CameraStatus> cameras) {
    return new Assessment(at, false, List.of(), cameras, null, false, false, null);
  }

  public List<Problem> pipelineProblems() {
    return problems.stream().filter(p -> p.getCause() == CauseClass.PIPELINE).toList();
  }

  public List<Problem> externalProblems() {
    return problems.stream().filter(p -> p.getCause() == CauseClass.EXTERNAL).toList();
  }

  /** A restart may help: there are pipeline problems and nothing outside makes restarts futile. */
  public boolean restartMayHelp() {
    return !pipelineProblems().isEmpty()
        && problems.stream().noneMatch(p -> RESTART_WONT_HELP.contains(kindOf(p)));
  }

  public boolean healthy() {
    return judged && problems.isEmpty();
  }

  public boolean pipelineHealthy() {
    return judged && pipelineProblems().isEmpty();
  }

  /** Proof of work, not just absence of problems (a warming-up pipeline has no problems either). */
  public boolean pipelineWorking() {
    return pipelineHealthy() && framesAdvancing;
  }

  public long healthyCameras() {
    return cameras.stream().filter(c -> "Streaming".equals(c.getState())).count();
  }

  private static ProblemKind kindOf(Problem problem) {
    try {
      return ProblemKind.valueOf(problem.getKind());
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
