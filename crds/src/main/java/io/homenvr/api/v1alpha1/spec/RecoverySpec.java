package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Tier 1: restarts, bounded and spaced. */
public class RecoverySpec {
  @Default("3")
  @Min(0)
  @Max(20)
  @JsonPropertyDescription(
      "Restarts tried for one incident before escalating (0 escalates at once).")
  private Integer maxRestarts = 3;

  @Default("60")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Deadline in seconds for a restarted pipeline to become healthy: two consecutive checks"
          + " with frames advancing close the incident sooner; still unhealthy after it, the next"
          + " restart follows (or escalation). Also the time a rolled-out AI fix gets before a"
          + " problem counts as the fix not holding. Must be greater than"
          + " health.checkIntervalSeconds.")
  private Integer recoveryGraceSeconds = 60;

  @Default("10")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Extra wait before the n-th restart of an incident: backoffSeconds * (2^(n-1) - 1),"
          + " capped at 10 minutes, so the first restart is immediate.")
  private Integer backoffSeconds = 10;

  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  public void setMaxRestarts(Integer maxRestarts) {
    this.maxRestarts = maxRestarts;
  }

  public Integer getRecoveryGraceSeconds() {
    return recoveryGraceSeconds;
  }

  public void setRecoveryGraceSeconds(Integer recoveryGraceSeconds) {
    this.recoveryGraceSeconds = recoveryGraceSeconds;
  }

  public Integer getBackoffSeconds() {
    return backoffSeconds;
  }

  public void setBackoffSeconds(Integer backoffSeconds) {
    this.backoffSeconds = backoffSeconds;
  }
}
