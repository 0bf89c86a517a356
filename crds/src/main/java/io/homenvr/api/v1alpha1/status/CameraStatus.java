package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One camera as the last health check saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CameraStatus {
  @JsonPropertyDescription("Camera name from the spec.")
  private String name;

  @JsonPropertyDescription(
      "Streaming, Stale (connected, no new frames), Connecting, Down (refusing or unreachable)"
          + " or Unknown (no heartbeat).")
  private String state;

  @JsonPropertyDescription("Time of the newest frame (RFC 3339).")
  private String lastFrameTime;

  @JsonPropertyDescription("Frames per second decoded.")
  private Double fps;

  @JsonPropertyDescription("Reconnects since the pipeline started.")
  private Long reconnects;

  @JsonPropertyDescription(
      "Last error the pipeline reported for this camera (credentials redacted).")
  private String message;

  @JsonPropertyDescription("Recording of this camera; absent when the pipeline does not report it.")
  private RecordingStatus recording;

  public CameraStatus() {}

  public CameraStatus(String name, String state) {
    this.name = name;
    this.state = state;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getLastFrameTime() {
    return lastFrameTime;
  }

  public void setLastFrameTime(String lastFrameTime) {
    this.lastFrameTime = lastFrameTime;
  }

  public Double getFps() {
    return fps;
  }

  public void setFps(Double fps) {
    this.fps = fps;
  }

  public Long getReconnects() {
    return reconnects;
  }

  public void setReconnects(Long reconnects) {
    this.reconnects = reconnects;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public RecordingStatus getRecording() {
    return recording;
  }

  public void setRecording(RecordingStatus recording) {
    this.recording = recording;
  }
}
