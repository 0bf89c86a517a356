package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One AI fix Job and what it reported in its termination message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AiFixRun {
  @JsonPropertyDescription("Name of the Job.")
  private String job;

  @JsonPropertyDescription("When the Job was created (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When its outcome was read (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription(
      "Running, fixed, no-fix, error, held (the fix stayed healthy), did-not-hold (reverted"
          + " when it was an override) or waiting (a code fix no image template rolls out).")
  private String outcome;

  @JsonPropertyDescription("The agent's summary of what it found and changed.")
  private String summary;

  @JsonPropertyDescription("Commit the agent pushed.")
  private String commit;

  @JsonPropertyDescription("Branch the agent pushed to.")
  private String branch;

  @JsonPropertyDescription("Image with the fix, when the agent's pipeline built one.")
  private String image;

  @JsonPropertyDescription("The agent's diagnosis, kept whatever the outcome.")
  private Diagnosis diagnosis;

  @JsonPropertyDescription(
      "What the pushed commit changed, e.g. '2 files, +14 -3: src/A.java, src/B.java'.")
  private String diff;

  @JsonPropertyDescription("Agentic turns the agent took.")
  private Integer turns;

  @JsonPropertyDescription("What the agent's API calls cost, in US dollars, as the CLI reported.")
  private Double costUsd;

  @JsonPropertyDescription(
      "How the agent's run ended when not normally, e.g. error_max_turns or"
          + " error_max_budget_usd.")
  private String agentResult;

  @JsonPropertyDescription("What the operator made of the agent's proposal.")
  private ProposalVerdict proposal;

  public Diagnosis getDiagnosis() {
    return diagnosis;
  }

  public void setDiagnosis(Diagnosis diagnosis) {
    this.diagnosis = diagnosis;
  }

  public String getDiff() {
    return diff;
  }

  public void setDiff(String diff) {
    this.diff = diff;
  }

  public Integer getTurns() {
    return turns;
  }

  public void setTurns(Integer turns) {
    this.turns = turns;
  }

  public Double getCostUsd() {
    return costUsd;
  }

  public void setCostUsd(Double costUsd) {
    this.costUsd = costUsd;
  }

  public String getAgentResult() {
    return agentResult;
  }

  public void setAgentResult(String agentResult) {
    this.agentResult = agentResult;
  }

  public ProposalVerdict getProposal() {
    return proposal;
  }

  public void setProposal(ProposalVerdict proposal) {
    this.proposal = proposal;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }

  public String getCommit() {
    return commit;
  }

  public void setCommit(String commit) {
    this.commit = commit;
  }

  public String getBranch() {
    return branch;
  }

  public void setBranch(String branch) {
    this.branch = branch;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }
}
