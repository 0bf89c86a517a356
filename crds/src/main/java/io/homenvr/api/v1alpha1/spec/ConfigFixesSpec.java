package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Configuration changes the AI agent may propose, within bounds: applied by the operator as a
 * recorded, revertible override, never by editing this spec.
 */
public class ConfigFixesSpec {
  @Default("true")
  @JsonPropertyDescription(
      "Let the operator apply a configuration change the agent proposes from the whitelist"
          + " (pipeline memory up to maxMemoryLimit, a camera's transport, its detect fps/width"
          + " downwards, vision timeout/concurrency and health thresholds within a factor of 2).")
  private Boolean enabled = true;

  @Size(max = 32)
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
  @ValidationRule(
      value = "isQuantity(self)",
      message = "must be a memory quantity such as 4Gi or 3072Mi")
  @JsonPropertyDescription(
      "Most memory a proposed change may give the pipeline container (request and limit), e.g."
          + " 4Gi. Unset: the agent may not change memory.")
  private String maxMemoryLimit;

  @Default("300")
  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds an applied change must keep the pipeline healthy to be kept; otherwise it is"
          + " reverted and a human is told.")
  private Integer verifySeconds = 300;

  @Default("60")
  @Min(0)
  @Max(525600)
  @JsonPropertyDescription("At most one applied configuration change per this many minutes.")
  private Integer cooldownMinutes = 60;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getMaxMemoryLimit() {
    return maxMemoryLimit;
  }

  public void setMaxMemoryLimit(String maxMemoryLimit) {
    this.maxMemoryLimit = maxMemoryLimit;
  }

  public Integer getVerifySeconds() {
    return verifySeconds;
  }

  public void setVerifySeconds(Integer verifySeconds) {
    this.verifySeconds = verifySeconds;
  }

  public Integer getCooldownMinutes() {
    return cooldownMinutes;
  }

  public void setCooldownMinutes(Integer cooldownMinutes) {
    this.cooldownMinutes = cooldownMinutes;
  }
}
