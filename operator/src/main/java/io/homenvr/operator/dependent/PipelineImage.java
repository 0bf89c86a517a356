package io.homenvr.operator.dependent;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.PipelineSpec;
import io.homenvr.api.v1alpha1.status.Overrides;
import java.util.Objects;

/**
 * Which image the pipeline runs: the override recorded in status (an AI fix's image) while it
 * applies, else spec.pipeline.image, else the operator's default. The spec itself is never written.
 */
public final class PipelineImage {
  private PipelineImage() {}

  public static String effective(CameraMonitor monitor, String defaultImage) {
    Overrides overrides = monitor.getStatus() == null ? null : monitor.getStatus().getOverrides();
    if (overrideApplies(overrides, monitor.getSpec().getPipeline())) {
      return overrides.getPipelineImage();
    }
    String spec = monitor.getSpec().getPipeline().getImage();
    return spec == null || spec.isBlank() ? defaultImage : spec;
  }

  /**
   * An override applies until the user changes spec.pipeline.image from what it was when the
   * override was recorded: then the user's new image wins, at once.
   */
  public static boolean overrideApplies(Overrides overrides, PipelineSpec pipeline) {
    return overrides != null
        && overrides.getPipelineImage() != null
        && !overrides.getPipelineImage().isBlank()
        && Objects.equals(blankToNull(overrides.getSpecImage()), blankToNull(pipeline.getImage()));
  }

  private static String blankToNull(String image) {
    return image == null || image.isBlank() ? null : image;
  }
}
