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
      "Running, fixed, no-fix, error, held (the fix stayed healthy) or did-not-hold.")
  private String outcome;

  @JsonPropertyDescription("The agent's summary of what it found and changed.")
  private String summary;

  @JsonPropertyDescription("Commit the agent pushed.")
  private String commit;

  @JsonPropertyDescription("Branch the agent pushed to.")
  private String branch;

  @JsonPropertyDescription("Image with the fix, when the agent's pipeline built one.")
  private String image;

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
