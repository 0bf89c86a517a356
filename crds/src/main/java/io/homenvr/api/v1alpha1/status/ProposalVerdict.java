package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator made of the change the AI agent proposed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProposalVerdict {
  @JsonPropertyDescription("What the agent proposed: none, code or config.")
  private String type;

  @JsonPropertyDescription(
      "Accepted (applied as an override in status.overrides.config), Refused (nothing applied),"
          + " Kept (held for its verification), Reverted (did not hold, or reverted by the user),"
          + " WaitingForHuman (a code fix that is not rolled out automatically) or NotApplied.")
  private String verdict;

  @JsonPropertyDescription("For a refusal: the spec path or proposal property that was wrong.")
  private String field;

  @JsonPropertyDescription("Why, in a sentence.")
  private String reason;

  @JsonPropertyDescription(
      "For an accepted configuration change: what changed, e.g. 'set"
          + " spec.cameras[name=gate].detect.fps to 3 (was 5)'.")
  private String change;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getVerdict() {
    return verdict;
  }

  public void setVerdict(String verdict) {
    this.verdict = verdict;
  }

  public String getField() {
    return field;
  }

  public void setField(String field) {
    this.field = field;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getChange() {
    return change;
  }

  public void setChange(String change) {
    this.change = change;
  }
}
