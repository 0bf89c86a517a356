package io.homenvr.operator.validation;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Objects of a CameraMonitor's workload that the API server refused as invalid (422): the spec
 * passed the CRD, yet what homenvr built from it breaks one of Kubernetes' own rules (a GPU request
 * without a limit, a toleration whose value contradicts its operator). Retrying would only repeat
 * the refusal, so it is reported like a spec error, field by field, until the spec changes.
 */
public final class WorkloadRefusals {
  private static final int UNPROCESSABLE_ENTITY = 422;

  private WorkloadRefusals() {}

  /**
   * The refusals behind a failed workflow reconciliation, one per field the API server named; empty
   * when anything else failed too, which a retry may cure.
   */
  public static List<SpecError> of(RuntimeException failure) {
    Collection<? extends Throwable> failures =
        failure instanceof AggregatedOperatorException aggregated
            ? aggregated.getAggregatedExceptions().values()
            : List.of(failure);
    List<SpecError> errors = new ArrayList<>();
    for (Throwable each : failures) {
      Optional<Status> refusal = refusal(each);
      if (refusal.isEmpty()) {
        return List.of();
      }
      errors.addAll(errorsOf(refusal.get()));
    }
    return errors;
  }

  /** The API server's answer, when the first API error in the chain is a 422. */
  private static Optional<Status> refusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException e) {
        return e.getCode() == UNPROCESSABLE_ENTITY
            ? Optional.ofNullable(e.getStatus())
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static List<SpecError> errorsOf(Status status) {
    StatusDetails details = status.getDetails();
    String refused =
        details == null
            ? "the API server refused an object"
            : "the API server refused " + details.getKind() + " " + details.getName();
    String hint = "; " + refused + ", which homenvr builds from this CameraMonitor's spec";
    if (details == null || details.getCauses() == null || details.getCauses().isEmpty()) {
      return List.of(SpecError.refused("spec", status.getMessage() + hint));
    }
    return details.getCauses().stream()
        .map(cause -> SpecError.refused(cause.getField(), cause.getMessage() + hint))
        .toList();
  }
}
