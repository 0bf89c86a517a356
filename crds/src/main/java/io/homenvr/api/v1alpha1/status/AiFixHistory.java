package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** What the AI fix tier remembers across incidents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AiFixHistory {
  @JsonPropertyDescription(
      "When the last AI fix Job started (RFC 3339): the cooldown counts from it.")
  private String lastRunTime;

  @JsonPropertyDescription(
      "Problem fingerprints an AI fix already claimed to fix once; they go to a human next time.")
  private List<String> fixedFingerprints = new ArrayList<>();

  @JsonPropertyDescription(
      "When an AI fix's configuration change was last applied (RFC 3339):"
          + " configFixes.cooldownMinutes counts from it.")
  private String lastConfigFixTime;

  public String getLastConfigFixTime() {
    return lastConfigFixTime;
  }

  public void setLastConfigFixTime(String lastConfigFixTime) {
    this.lastConfigFixTime = lastConfigFixTime;
  }

  public String getLastRunTime() {
    return lastRunTime;
  }

  public void setLastRunTime(String lastRunTime) {
    this.lastRunTime = lastRunTime;
  }

  public List<String> getFixedFingerprints() {
    return fixedFingerprints;
  }

  public void setFixedFingerprints(List<String> fixedFingerprints) {
    this.fixedFingerprints = fixedFingerprints;
  }
}
