package io.homenvr.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the pipeline Deployment has a ready pod, as Kubernetes reports it.
 *
 * @param available at least one up-to-date pod is ready
 * @param message what the Deployment reports, in a sentence
 * @param rollingOut the Deployment is being rolled out (a changed template not yet observed, or its
 *     Progressing condition not at NewReplicaSetAvailable): a pod that is not ready yet is
 *     starting, not failing
 */
public record WorkloadState(boolean available, String message, boolean rollingOut) {

  /** A Deployment that is not being rolled out. */
  public WorkloadState(boolean available, String message) {
    this(available, message, false);
  }

  public static WorkloadState of(Optional<Deployment> deployment) {
    if (deployment.isEmpty()) {
      return new WorkloadState(false, "The pipeline Deployment does not exist yet", true);
    }
    Deployment actual = deployment.get();
    var status = actual.getStatus();
    int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    int updated =
        status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    String name = actual.getMetadata().getName();
    boolean rollingOut =
        status == null
            || status.getObservedGeneration() == null
            || status.getObservedGeneration()
                < Objects.requireNonNullElse(actual.getMetadata().getGeneration(), 0L)
            || updated < 1
            || (status.getConditions() != null
                && status.getConditions().stream()
                    .anyMatch(
                        c ->
                            "Progressing".equals(c.getType())
                                && !"NewReplicaSetAvailable".equals(c.getReason())));
    if (ready >= 1 && updated >= 1) {
      return new WorkloadState(true, "Deployment " + name + " has a ready pipeline pod", false);
    }
    return new WorkloadState(
        false,
        "Deployment " + name + " has " + ready + "/1 ready pipeline pods; waiting",
        rollingOut);
  }
}
