package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One camera's recording as the last health check saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordingStatus {
  @JsonPropertyDescription(
      "RECORDING, WAITING (no stream yet), STALLED, DISK_FULL, READ_ONLY, FAILED or OFF, as the"
          + " pipeline reports it.")
  private String state;

  @JsonPropertyDescription("End time of the newest closed segment (RFC 3339).")
  private String lastSegmentTime;

  @JsonPropertyDescription("Last recording error the pipeline reported (credentials redacted).")
  private String lastError;

  @JsonPropertyDescription(
      "End of the newest gap in recording already reported as a RecordingGap Event (RFC 3339,"
          + " the pipeline's clock): only gaps that end later are reported, so each is reported"
          + " once.")
  private String reportedGapsUntil;

  public RecordingStatus() {}

  public RecordingStatus(String state, String lastSegmentTime, String lastError) {
    this.state = state;
    this.lastSegmentTime = lastSegmentTime;
    this.lastError = lastError;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getLastSegmentTime() {
    return lastSegmentTime;
  }

  public void setLastSegmentTime(String lastSegmentTime) {
    this.lastSegmentTime = lastSegmentTime;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  public String getReportedGapsUntil() {
    return reportedGapsUntil;
  }

  public void setReportedGapsUntil(String reportedGapsUntil) {
    this.reportedGapsUntil = reportedGapsUntil;
  }
}
