package io.homenvr.pipeline.motion;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.homenvr.pipeline.capture.GreyFrame;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Background subtraction on downscaled, blurred grey frames of one camera (scaled by the camera
 * thread straight from the decoder). A pixel moves when it differs both from a slow running average
 * (the scene) and from a fast one (the last second or so): the slow one alone would keep ghosts and
 * trails of what was there when it learnt, the fast one alone would report the trail just left.
 * Contours above the minimum area are merged into one box around everything that moved.
 *
 * <p>Running averages rather than OpenCV's MOG2: a tenth of the CPU (≈ 0.5 ms against ≈ 4.5 ms a
 * 640×360 frame, measured here), and with the blur and a fixed threshold they ignore sensor grain
 * as well. Not thread-safe: the analysis loop owns one per camera; its images are reused from frame
 * to frame, so a tick allocates no pixels.
 */
public final class MotionDetector {
  /** Frames the backgrounds learn from before motion is reported at all (2 s at 5 fps). */
  static final int WARM_UP_FRAMES = 10;

  /**
   * Motion over more of the frame than this is a light change (IR switch, clouds), not a visitor.
   */
  static final double LIGHT_CHANGE_FRACTION = 0.7;

  /** Weight of each frame in the scene: a lasting change is absorbed within ≈ 50 frames. */
  static final double BACKGROUND_RATE = 0.02;

  /** Weight of each frame in the recent average: what left a few frames ago is forgotten. */
  static final double RECENT_RATE = 0.3;

  /** Grey levels a pixel must differ from the background by to count as moving. */
  static final double DIFFERENCE_THRESHOLD = 25;

  static {
    // frames here are small (640×360 grey): OpenCV's worker threads cost more CPU handing the
    // rows around than they save, measured as a second busy "analysis" thread in perf. The setting
    // is the process's: the local person detector runs on one thread too, off the capture path
    setNumThreads(0);
  }

  private final DetectConfig config;
  private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
  private final Size blur = new Size(5, 5);
  private final Point anchor = new Point(-1, -1);
  private final Scalar border = new Scalar(0.0);
  private final Mat averageGrey = new Mat();
  private final Mat difference = new Mat();
  private final Mat recentDifference = new Mat();
  private Mat grey;
  private Mat background;
  private Mat recent;
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
    if (grey == null || width != modelWidth || height != modelHeight) {
      // a new resolution is a new scene for the model
      if (grey != null) {
        grey.close();
        background.close();
        recent.close();
      }
      grey = new Mat(height, width, CV_8UC1);
      background = new Mat(height, width, CV_32FC1);
      recent = new Mat(height, width, CV_32FC1);
      modelWidth = width;
      modelHeight = height;
      learned = 0;
    }
    grey.data().put(frame.grey(), 0, width * height);
    GaussianBlur(grey, grey, blur, 0);
    if (++learned == 1) {
      grey.convertTo(background, CV_32F);
      grey.convertTo(recent, CV_32F);
    }
    convertScaleAbs(background, averageGrey);
    absdiff(grey, averageGrey, difference);
    convertScaleAbs(recent, averageGrey);
    absdiff(grey, averageGrey, recentDifference);
    // the plain mean of the frames so far until that gets slower than the steady rate
    accumulateWeighted(grey, background, Math.max(BACKGROUND_RATE, 1.0 / learned));
    accumulateWeighted(grey, recent, RECENT_RATE);
    if (learned <= WARM_UP_FRAMES) {
      return Optional.empty();
    }
    try (MatVector contours = new MatVector()) {
      threshold(difference, difference, DIFFERENCE_THRESHOLD, 255, THRESH_BINARY);
      threshold(recentDifference, recentDifference, DIFFERENCE_THRESHOLD, 255, THRESH_BINARY);
      bitwise_and(difference, recentDifference, difference);
      dilate(difference, difference, kernel, anchor, 2, 0, border);
      findContours(difference, contours, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
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
