package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The AI agent's analysis of an incident, kept whatever the Job's outcome. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Diagnosis {
  @JsonPropertyDescription("The root cause as the agent sees it, in a sentence or two.")
  private String cause;

  @JsonPropertyDescription("Up to 5 lines of the evidence the agent relied on, quoted.")
  private List<String> evidence = new ArrayList<>();

  @JsonPropertyDescription("The agent's confidence: low, medium or high.")
  private String confidence;

  @JsonPropertyDescription(
      "Why there is no diagnosis or why it is incomplete (e.g. the agent gave none).")
  private String note;

  public String getCause() {
    return cause;
  }

  public void setCause(String cause) {
    this.cause = cause;
  }

  public List<String> getEvidence() {
    return evidence;
  }

  public void setEvidence(List<String> evidence) {
    this.evidence = evidence;
  }

  public String getConfidence() {
    return confidence;
  }

  public void setConfidence(String confidence) {
    this.confidence = confidence;
  }

  public String getNote() {
    return note;
  }

  public void setNote(String note) {
    this.note = note;
  }
}
