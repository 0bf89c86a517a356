package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A message for the human on one channel, kept until that channel confirms it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Report {
  @JsonPropertyDescription(
      "Deterministic id (<incident>-<kind>, or digest-<UTC date>; + '-ntfy' or '-webhook' for"
          + " those channels) so a report is queued once per channel.")
  private String id;

  @JsonPropertyDescription(
      "Where it goes: telegram (also when absent), ntfy or webhook. A report for several channels"
          + " is one entry per channel, each confirmed and retried on its own.")
  private String channel;

  @JsonPropertyDescription("Incident it belongs to, if any.")
  private String incident;

  @JsonPropertyDescription(
      "FixedByRestart, AiFixApplied, NeedsHuman, Recovered, DependencyDown, DependencyBack or"
          + " Digest.")
  private String kind;

  @JsonPropertyDescription("The message text.")
  private String text;

  @JsonPropertyDescription("When it was queued (RFC 3339).")
  private String createdAt;

  @JsonPropertyDescription("Delivery attempts so far.")
  private Integer attempts = 0;

  @JsonPropertyDescription(
      "Not before this time (RFC 3339): backoff, Telegram's retry_after or a Retry-After header.")
  private String nextAttemptTime;

  @JsonPropertyDescription("Why the last attempt failed.")
  private String lastError;

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getChannel() {
    return channel;
  }

  public void setChannel(String channel) {
    this.channel = channel;
  }

  public String getIncident() {
    return incident;
  }

  public void setIncident(String incident) {
    this.incident = incident;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getText() {
    return text;
  }

  public void setText(String text) {
    this.text = text;
  }

  public String getCreatedAt() {
    return createdAt;
  }

  public void setCreatedAt(String createdAt) {
    this.createdAt = createdAt;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }
}
