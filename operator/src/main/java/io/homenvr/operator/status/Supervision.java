package io.homenvr.operator.status;

import io.homenvr.api.v1alpha1.status.Phase;
import java.time.Duration;
import java.util.Optional;

/**
 * What the health loop concluded about a running pipeline, for the {@link StatusAggregator}.
 *
 * @param pipelineHealthy the {@code PipelineHealthy} condition
 * @param dependenciesHealthy the {@code DependenciesHealthy} condition (cameras, vision, disk)
 * @param escalated the {@code Escalated} condition
 * @param phase the phase of a valid, deployed CameraMonitor
 * @param message one sentence for {@code status.message}, or null to let the Ready condition speak
 * @param recheckAfter when to look again, if the loop wants to
 */
public record Supervision(
    Verdict pipelineHealthy,
    Verdict dependenciesHealthy,
    Verdict escalated,
    Phase phase,
    String message,
    Optional<Duration> recheckAfter) {

  /** No health loop has judged the pipeline: the honest state until one does. */
  public static final Supervision NOT_CHECKED =
      new Supervision(
          Verdict.unknown("NotChecked", "No health check has judged the pipeline yet"),
          Verdict.unknown("NotChecked", "No health check has judged the dependencies yet"),
          Verdict.isFalse("NotEscalated", "Nothing was escalated"),
          Phase.Pending,
          null,
          Optional.empty());
}
