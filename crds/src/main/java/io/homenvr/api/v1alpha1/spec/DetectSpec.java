package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Motion detection on downscaled grey frames. */
public class DetectSpec {
  @Default("5")
  @Min(1)
  @Max(30)
  @JsonPropertyDescription("Frames per second analysed for motion (1-30).")
  private Integer fps = 5;

  @Default("640")
  @Min(160)
  @Max(1920)
  @JsonPropertyDescription("Width, in pixels, frames are downscaled to before motion detection.")
  private Integer width = 640;

  /** What the camera decodes. */
  public enum Mode {
    @JsonProperty("full")
    FULL,
    @JsonProperty("eco")
    ECO
  }

  @Default("eco")
  @JsonPropertyDescription(
      "What is decoded: full (every frame, always) or eco (keyframes only while the scene is"
          + " still, every frame from the keyframe after motion until ecoQuietSeconds without"
          + " motion; recording is unaffected). Eco saves most of the decoding CPU; motion is"
          + " noticed at the next keyframe, and a camera whose keyframes come less often than every"
          + " 2.5 s is decoded fully.")
  private Mode mode = Mode.ECO;

  @Default("10")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "In eco mode, seconds without motion before decoding drops back to keyframes only (1-3600).")
  private Integer ecoQuietSeconds = 10;

  @Default("0.5")
  @Min(value = 0.01)
  @Max(100)
  @JsonPropertyDescription("Smallest motion worth a look, in percent of the frame area (0.01-100).")
  private Double minAreaPercent = 0.5;

  public Integer getFps() {
    return fps;
  }

  public void setFps(Integer fps) {
    this.fps = fps;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public Integer getEcoQuietSeconds() {
    return ecoQuietSeconds;
  }

  public void setEcoQuietSeconds(Integer ecoQuietSeconds) {
    this.ecoQuietSeconds = ecoQuietSeconds;
  }

  public Double getMinAreaPercent() {
    return minAreaPercent;
  }

  public void setMinAreaPercent(Double minAreaPercent) {
    this.minAreaPercent = minAreaPercent;
  }
}
