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
 */
public record Assessment(
    Instant at, boolean judged, List<Problem> problems, List<CameraStatus> cameras) {

  /** Problems that make every restart pointless, whatever else is wrong. */
  private static final Set<ProblemKind> RESTART_WONT_HELP =
      EnumSet.of(
          ProblemKind.NodePressure,
          ProblemKind.DiskFull,
          ProblemKind.Unschedulable,
          ProblemKind.ImagePullFailed);

  public Assessment {
    problems = List.copyOf(problems);
    cameras = List.copyOf(cameras);
  }

  public static Assessment notJudged(Instant at, List<CameraStatus> cameras) {
    return new Assessment(at, false, List.of(), cameras);
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
