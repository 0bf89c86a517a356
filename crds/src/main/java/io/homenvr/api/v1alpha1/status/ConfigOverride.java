package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A configuration change an AI fix proposed and the operator accepted within its bounds: rendered
 * into the pipeline's ConfigMap and Deployment instead of the spec's value, never written into the
 * spec. Re-judged at every render: a spec that changed the field since (e.g. made the change
 * permanent) drops it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigOverride {
  @JsonPropertyDescription("The field overridden, e.g. spec.cameras[name=gate].detect.fps.")
  private String specPath;

  @JsonPropertyDescription("Its value in the spec when the override was applied.")
  private String from;

  @JsonPropertyDescription("The value the pipeline runs with.")
  private String to;

  @JsonPropertyDescription(
      "How to make it permanent in the spec, e.g. 'set spec.cameras[name=gate].detect.fps to 3"
          + " (was 5)'.")
  private String change;

  @JsonPropertyDescription("The agent's reason for the change.")
  private String reason;

  @JsonPropertyDescription(
      "The agent's proposal as JSON, re-validated against the current spec at every render.")
  private String proposal;

  @JsonPropertyDescription("The incident whose AI fix proposed it.")
  private String incident;

  @JsonPropertyDescription("When it was applied (RFC 3339).")
  private String appliedAt;

  @JsonPropertyDescription(
      "Until when it is on trial (RFC 3339): it is kept if the pipeline stays healthy until then,"
          + " else reverted.")
  private String verifyUntil;

  @JsonPropertyDescription("True once it held through its verification.")
  private Boolean verified;

  public String getSpecPath() {
    return specPath;
  }

  public void setSpecPath(String specPath) {
    this.specPath = specPath;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getChange() {
    return change;
  }

  public void setChange(String change) {
    this.change = change;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getProposal() {
    return proposal;
  }

  public void setProposal(String proposal) {
    this.proposal = proposal;
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

  public String getVerifyUntil() {
    return verifyUntil;
  }

  public void setVerifyUntil(String verifyUntil) {
    this.verifyUntil = verifyUntil;
  }

  public Boolean getVerified() {
    return verified;
  }

  public void setVerified(Boolean verified) {
    this.verified = verified;
  }
}
