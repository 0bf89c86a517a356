package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the escalation ladder stands; written before each action so a crash never repeats it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecoveryStatus {
  @JsonPropertyDescription("Restarts done in the open incident (reset when healthy again).")
  private Integer restarts = 0;

  @JsonPropertyDescription("Time of the last restart (RFC 3339).")
  private String lastRestartTime;

  @JsonPropertyDescription(
      "When the first of the consecutive checks since the last restart that found the pipeline"
          + " healthy with frames advancing was made (RFC 3339); a second such check closes the"
          + " incident.")
  private String healthySince;

  @JsonPropertyDescription("Id of the open incident, if any.")
  private String incident;

  @JsonPropertyDescription(
      "Ladder stage: Idle, Restarting, AwaitingRecovery, AiFixRunning, VerifyingFix,"
          + " NeedsHuman or External.")
  private String stage = "Idle";

  @JsonPropertyDescription("When the current stage began (RFC 3339).")
  private String stageSince;

  @JsonPropertyDescription("Last value of the homenvr.io/restart annotation acted on.")
  private String handledRestartRequest;

  @JsonPropertyDescription("Last value of the homenvr.io/ack annotation acted on.")
  private String handledAck;

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public String getLastRestartTime() {
    return lastRestartTime;
  }

  public void setLastRestartTime(String lastRestartTime) {
    this.lastRestartTime = lastRestartTime;
  }

  public String getHealthySince() {
    return healthySince;
  }

  public void setHealthySince(String healthySince) {
    this.healthySince = healthySince;
  }

  public String getIncident() {
    return incident;
  }

  public void setIncident(String incident) {
    this.incident = incident;
  }

  public String getStage() {
    return stage;
  }

  public void setStage(String stage) {
    this.stage = stage;
  }

  public String getStageSince() {
    return stageSince;
  }

  public void setStageSince(String stageSince) {
    this.stageSince = stageSince;
  }

  public String getHandledRestartRequest() {
    return handledRestartRequest;
  }

  public void setHandledRestartRequest(String handledRestartRequest) {
    this.handledRestartRequest = handledRestartRequest;
  }

  public String getHandledAck() {
    return handledAck;
  }

  public void setHandledAck(String handledAck) {
    this.handledAck = handledAck;
  }
}
