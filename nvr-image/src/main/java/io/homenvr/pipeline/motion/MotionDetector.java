package io.homenvr.pipeline.motion;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.homenvr.pipeline.capture.GreyFrame;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * Background subtraction (MOG2) on downscaled, blurred grey frames of one camera (scaled by the
 * camera thread straight from the decoder); contours above the minimum area are merged into one box
 * around everything that moved. Not thread-safe: the analysis loop owns one per camera. Its images
 * are reused from frame to frame, so a tick allocates no pixels.
 */
public final class MotionDetector {
  /** Frames the background model learns from before motion is reported at all. */
  static final int WARM_UP_FRAMES = 5;

  /**
   * Motion over more of the frame than this is a light change (IR switch, clouds), not a visitor.
   */
  static final double LIGHT_CHANGE_FRACTION = 0.7;

  private final DetectConfig config;
  private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
  private final Size blur = new Size(5, 5);
  private final Point anchor = new Point(-1, -1);
  private final Scalar border = new Scalar(0.0);
  private final Mat foreground = new Mat();
  private Mat grey;
  private BackgroundSubtractorMOG2 background;
  private int modelWidth;
  private int modelHeight;
  private int learned;

  public MotionDetector(DetectConfig config) {
    this.config = config;
  }

  /** The box around the motion in the source frame's pixels, or empty when nothing moved. */
  public Optional<Box> detect(GreyFrame frame) {
    int width = frame.width();
    int height = frame.height();
    if (background == null || width != modelWidth || height != modelHeight) {
      // a new resolution is a new scene for the model
      if (grey != null) {
        grey.close();
      }
      grey = new Mat(height, width, CV_8UC1);
      background = createBackgroundSubtractorMOG2(200, 25, false);
      modelWidth = width;
      modelHeight = height;
      learned = 0;
    }
    grey.data().put(frame.grey(), 0, width * height);
    GaussianBlur(grey, grey, blur, 0);
    background.apply(grey, foreground);
    if (++learned <= WARM_UP_FRAMES) {
      return Optional.empty();
    }
    try (MatVector contours = new MatVector()) {
      threshold(foreground, foreground, 127, 255, THRESH_BINARY);
      dilate(foreground, foreground, kernel, anchor, 2, 0, border);
      findContours(foreground, contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
      double minArea = width * height * config.minAreaPercent() / 100.0;
      int left = Integer.MAX_VALUE;
      int top = Integer.MAX_VALUE;
      int right = -1;
      int bottom = -1;
      for (long i = 0; i < contours.size(); i++) {
        try (Rect box = boundingRect(contours.get(i))) {
          if ((double) box.width() * box.height() < minArea) {
            continue;
          }
          left = Math.min(left, box.x());
          top = Math.min(top, box.y());
          right = Math.max(right, box.x() + box.width());
          bottom = Math.max(bottom, box.y() + box.height());
        }
      }
      if (right < 0) {
        return Optional.empty();
      }
      if ((double) (right - left) * (bottom - top) > LIGHT_CHANGE_FRACTION * width * height) {
        return Optional.empty();
      }
      double scaleX = frame.sourceWidth() / (double) width;
      double scaleY = frame.sourceHeight() / (double) height;
      return Optional.of(
          new Box(
              (int) (left * scaleX),
              (int) (top * scaleY),
              (int) Math.ceil((right - left) * scaleX),
              (int) Math.ceil((bottom - top) * scaleY)));
    }
  }
}
