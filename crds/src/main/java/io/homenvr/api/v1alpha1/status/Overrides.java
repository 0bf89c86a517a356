package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the operator runs instead of the spec, and why (an image, a configuration change): recorded
 * here, never written into the user's spec (which may be managed from Git), and reverted by the
 * annotation homenvr.io/revert-override.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Overrides {
  @JsonPropertyDescription(
      "The pipeline image rendered into the Deployment instead of spec.pipeline.image (or the"
          + " operator's default).")
  private String pipelineImage;

  @JsonPropertyDescription(
      "spec.pipeline.image when the override was applied (absent: the operator's default). A"
          + " spec whose image differs from it wins: the override is dropped.")
  private String specImage;

  @JsonPropertyDescription("Why, e.g. 'AI fix of incident <id>, job <name>, commit <sha>'.")
  private String reason;

  @JsonPropertyDescription("The incident whose AI fix produced the image override.")
  private String incident;

  @JsonPropertyDescription("When the image override was applied (RFC 3339).")
  private String appliedAt;

  @JsonPropertyDescription(
      "A configuration change an AI fix proposed, within its bounds, rendered instead of the"
          + " spec's value.")
  private ConfigOverride config;

  public ConfigOverride getConfig() {
    return config;
  }

  public void setConfig(ConfigOverride config) {
    this.config = config;
  }

  /** Nothing overridden any more: the whole object can go. */
  @JsonIgnore
  public boolean isEmpty() {
    return (pipelineImage == null || pipelineImage.isBlank()) && config == null;
  }

  public String getPipelineImage() {
    return pipelineImage;
  }

  public void setPipelineImage(String pipelineImage) {
    this.pipelineImage = pipelineImage;
  }

  public String getSpecImage() {
    return specImage;
  }

  public void setSpecImage(String specImage) {
    this.specImage = specImage;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getIncident() {
    return incident;
  }

  public void setIncident(String incident) {
    this.incident = incident;
  }

  public String getAppliedAt() {
    return appliedAt;
  }

  public void setAppliedAt(String appliedAt) {
    this.appliedAt = appliedAt;
  }
}
