package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One stretch of unhealthiness, from detection to its outcome. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Incident {
  @JsonPropertyDescription(
      "Short id, unique per CameraMonitor; names the evidence and the AI-fix Job.")
  private String id;

  @JsonPropertyDescription("When it was detected (RFC 3339).")
  private String openedAt;

  @JsonPropertyDescription(
      "When the fault began as far as the operator can tell (RFC 3339): the last good frame of a"
          + " stale camera, else the last check that found nothing wrong. Reports count an"
          + " incident's duration from here; empty for incidents from older operators.")
  private String faultAt;

  @JsonPropertyDescription("When it ended (RFC 3339); empty while open.")
  private String closedAt;

  @JsonPropertyDescription("PIPELINE or EXTERNAL.")
  private CauseClass cause;

  @JsonPropertyDescription("Stable hash of the problem kinds, to recognise a problem seen before.")
  private String fingerprint;

  @JsonPropertyDescription("The problems found when it opened.")
  private List<Problem> problems = new ArrayList<>();

  @JsonPropertyDescription("Highest tier reached: 0 none, 1 restart, 2 AI fix, 3 human.")
  private Integer tierReached = 0;

  @JsonPropertyDescription("Restarts tried.")
  private Integer restarts = 0;

  @JsonPropertyDescription(
      "Open, FixedByRestart, FixedByAi, RecoveredByItself, Acknowledged or NeedsHuman.")
  private String outcome = "Open";

  @JsonPropertyDescription("Where the evidence is: <configmap>/<key prefix>.")
  private String evidence;

  @JsonPropertyDescription("The AI fix attempt, if tier 2 ran.")
  private AiFixRun aiFix;

  @JsonPropertyDescription("Report kinds already queued for this incident (each is sent once).")
  private List<String> notified = new ArrayList<>();

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getOpenedAt() {
    return openedAt;
  }

  public void setOpenedAt(String openedAt) {
    this.openedAt = openedAt;
  }

  public String getFaultAt() {
    return faultAt;
  }

  public void setFaultAt(String faultAt) {
    this.faultAt = faultAt;
  }

  public String getClosedAt() {
    return closedAt;
  }

  public void setClosedAt(String closedAt) {
    this.closedAt = closedAt;
  }

  public CauseClass getCause() {
    return cause;
  }

  public void setCause(CauseClass cause) {
    this.cause = cause;
  }

  public String getFingerprint() {
    return fingerprint;
  }

  public void setFingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  public List<Problem> getProblems() {
    return problems;
  }

  public void setProblems(List<Problem> problems) {
    this.problems = problems;
  }

  public Integer getTierReached() {
    return tierReached;
  }

  public void setTierReached(Integer tierReached) {
    this.tierReached = tierReached;
  }

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getEvidence() {
    return evidence;
  }

  public void setEvidence(String evidence) {
    this.evidence = evidence;
  }

  public AiFixRun getAiFix() {
    return aiFix;
  }

  public void setAiFix(AiFixRun aiFix) {
    this.aiFix = aiFix;
  }

  public List<String> getNotified() {
    return notified;
  }

  public void setNotified(List<String> notified) {
    this.notified = notified;
  }
}
