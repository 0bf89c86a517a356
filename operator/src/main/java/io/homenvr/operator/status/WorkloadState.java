package io.homenvr.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * Whether the pipeline Deployment has a ready pod, as Kubernetes reports it.
 *
 * @param available at least one up-to-date pod is ready
 * @param message what the Deployment reports, in a sentence
 */
public record WorkloadState(boolean available, String message) {

  public static WorkloadState of(Optional<Deployment> deployment) {
    if (deployment.isEmpty()) {
      return new WorkloadState(false, "The pipeline Deployment does not exist yet");
    }
    Deployment actual = deployment.get();
    var status = actual.getStatus();
    int ready = status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
    int updated =
        status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    String name = actual.getMetadata().getName();
    if (ready >= 1 && updated >= 1) {
      return new WorkloadState(true, "Deployment " + name + " has a ready pipeline pod");
    }
    return new WorkloadState(
        false, "Deployment " + name + " has " + ready + "/1 ready pipeline pods; waiting");
  }
}
