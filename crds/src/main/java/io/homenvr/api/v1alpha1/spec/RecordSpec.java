package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Recording by stream copy into MP4 segments, and how long the footage is kept. */
@ValidationRule(
    value = "!has(self.recordUrl) || !self.recordUrl.matches('^rtsps?://[^/?#]*@')",
    message =
        "record.recordUrl must not contain credentials: store them in a Secret (keys username,"
            + " password) and set the camera's credentialsSecretRef, which serves both URLs",
    fieldPath = ".recordUrl")
public class RecordSpec {
  /** What is kept. */
  public enum Mode {
    @JsonProperty("continuous")
    CONTINUOUS,
    @JsonProperty("events")
    EVENTS,
    @JsonProperty("off")
    OFF
  }

  @Default("continuous")
  @JsonPropertyDescription(
      "continuous (default): every segment is kept for retainDays; events: only segments that"
          + " overlap a motion or alert event (with pre- and post-roll) are kept; off: nothing"
          + " is recorded.")
  private Mode mode = Mode.CONTINUOUS;

  @Default("10")
  @Min(2)
  @Max(60)
  @JsonPropertyDescription(
      "Length of one MP4 segment in seconds (2-60), cut at the first keyframe past it. A"
          + " recording with no new segment for 2 x segmentSeconds + 10 s while frames flow is"
          + " a stalled recording, and the pipeline is restarted.")
  private Integer segmentSeconds = 10;

  @Default("5")
  @Min(0)
  @Max(60)
  @JsonPropertyDescription("Seconds kept before an event starts (0-60).")
  private Integer preRollSeconds = 5;

  @Default("5")
  @Min(0)
  @Max(60)
  @JsonPropertyDescription("Seconds kept after an event ends (0-60).")
  private Integer postRollSeconds = 5;

  @Default("7")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription(
      "Continuous footage older than this many days is deleted (1-3650); sooner when the"
          + " volume runs short (spec.pipeline.storage).")
  private Integer retainDays = 7;

  @Default("30")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription(
      "Footage overlapping an event is kept this many days (1-3650); when the volume runs"
          + " short it goes last.")
  private Integer eventRetainDays = 30;

  @Size(min = 8, max = 2048)
  @Pattern("^rtsps?://[^\\s/?#]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Optional stream to record instead of url, usually the camera's full-resolution main"
          + " stream while detection reads the sub-stream in url; rtsp:// or rtsps://, without"
          + " credentials (the camera's credentialsSecretRef is used). Unset records url.")
  private String recordUrl;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public Integer getSegmentSeconds() {
    return segmentSeconds;
  }

  public void setSegmentSeconds(Integer segmentSeconds) {
    this.segmentSeconds = segmentSeconds;
  }

  public Integer getPreRollSeconds() {
    return preRollSeconds;
  }

  public void setPreRollSeconds(Integer preRollSeconds) {
    this.preRollSeconds = preRollSeconds;
  }

  public Integer getPostRollSeconds() {
    return postRollSeconds;
  }

  public void setPostRollSeconds(Integer postRollSeconds) {
    this.postRollSeconds = postRollSeconds;
  }

  public Integer getRetainDays() {
    return retainDays;
  }

  public void setRetainDays(Integer retainDays) {
    this.retainDays = retainDays;
  }

  public Integer getEventRetainDays() {
    return eventRetainDays;
  }

  public void setEventRetainDays(Integer eventRetainDays) {
    this.eventRetainDays = eventRetainDays;
  }

  public String getRecordUrl() {
    return recordUrl;
  }

  public void setRecordUrl(String recordUrl) {
    this.recordUrl = recordUrl;
  }
}
