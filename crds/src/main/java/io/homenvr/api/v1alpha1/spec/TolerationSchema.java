package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The values a pod's toleration allows for {@code operator} and {@code effect}, swapped into the
 * schema of {@code spec.pipeline.tolerations} (the Kubernetes Toleration type has plain strings),
 * so the API server refuses a typo when the CameraMonitor is applied rather than when its
 * Deployment is. Empty is allowed for both, as in a pod: Equal, and every effect.
 */
public final class TolerationSchema {
  private TolerationSchema() {}

  /** How a toleration matches a taint's value. */
  public enum Operator {
    @JsonProperty("")
    DEFAULT,
    @JsonProperty("Equal")
    EQUAL,
    @JsonProperty("Exists")
    EXISTS
  }

  /** Which taint effect a toleration matches. */
  public enum Effect {
    @JsonProperty("")
    ALL,
    @JsonProperty("NoSchedule")
    NO_SCHEDULE,
    @JsonProperty("PreferNoSchedule")
    PREFER_NO_SCHEDULE,
    @JsonProperty("NoExecute")
    NO_EXECUTE
  }
}
