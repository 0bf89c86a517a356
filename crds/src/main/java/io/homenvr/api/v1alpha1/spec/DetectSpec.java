package io.homenvr.api.v1alpha1.spec;

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

  public Double getMinAreaPercent() {
    return minAreaPercent;
  }

  public void setMinAreaPercent(Double minAreaPercent) {
    this.minAreaPercent = minAreaPercent;
  }
}
