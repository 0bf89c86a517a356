package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.status.Supervision;
import io.homenvr.operator.status.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a ladder step means for {@code kubectl describe}: the PipelineHealthy, DependenciesHealthy
 * and Escalated conditions and the one-sentence message, worded from the assessment and the stored
 * ladder state. The ladder itself decides; this only says it.
 */
public final class HealthVerdicts {
  private HealthVerdicts() {}

  /**
   * @param status the status the step leads to (its recovery and incidents)
   * @param phase the phase the ladder stands for
   */
  public static Supervision of(
      Assessment assessment, CameraMonitorStatus status, CameraMonitorSpec spec, Phase phase) {
    Verdict pipeline;
    Verdict dependencies;
    if (!assessment.judged()) {
      pipeline = Supervision.NOT_CHECKED.pipelineHealthy();
      dependencies = Supervision.NOT_CHECKED.dependenciesHealthy();
    } else {
      List<Problem> own = assessment.pipelineProblems();
      pipeline =
          own.isEmpty()
              ? Verdict.isTrue("Working", "frames flow, heartbeat and logs are fresh")
              : Verdict.isFalse(own.get(0).getKind(), messages(own));
      List<Problem> external = assessment.externalProblems();
      dependencies =
          external.isEmpty()
              ? Verdict.isTrue("Reachable", "cameras, vision server, node and disk are fine")
              : Verdict.isFalse(external.get(0).getKind(), messages(external));
    }
    Verdict escalated = escalated(openIncident(status), spec);
    String message =
        "True".equals(pipeline.status()) && "True".equals(dependencies.status())
            ? null
            : "Unknown".equals(pipeline.status())
                ? null
                : !"True".equals(pipeline.status()) ? pipeline.message() : dependencies.message();
    return new Supervision(pipeline, dependencies, escalated, phase, message, Optional.empty());
  }

  private static Verdict escalated(Incident incident, CameraMonitorSpec spec) {
    Tier tier = incident == null ? Tier.NONE : Tier.of(incident.getTierReached());
    return switch (tier) {
      case RESTART ->
          Verdict.isTrue(
              "Restarting",
              "tier 1: restart %d of %d in incident %s"
                  .formatted(
                      incident.getRestarts(),
                      spec.getRecovery().getMaxRestarts(),
                      incident.getId()));
      case AI_FIX ->
          Verdict.isTrue(
              "AiFix",
              "tier 2: AI fix Job %s (%s) in incident %s"
                  .formatted(
                      incident.getAiFix() == null ? "?" : incident.getAiFix().getJob(),
                      incident.getAiFix() == null ? "?" : incident.getAiFix().getOutcome(),
                      incident.getId()));
      case HUMAN ->
          Verdict.isTrue(
              "NeedsHuman", "tier 3: a human was told about incident " + incident.getId());
      case NONE -> Verdict.isFalse("NotEscalated", "Nothing was escalated");
    };
  }

  private static Incident openIncident(CameraMonitorStatus status) {
    String id = status.getRecovery() == null ? null : status.getRecovery().getIncident();
    if (id == null) {
      return null;
    }
    return status.getIncidents().stream()
        .filter(i -> id.equals(i.getId()))
        .findFirst()
        .orElse(null);
  }

  private static String messages(List<Problem> problems) {
    return problems.stream().map(Problem::getMessage).collect(Collectors.joining("; "));
  }
}
