package io.homenvr.pipeline.motion;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.capture.Jpeg;
import java.time.Instant;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Turns a detection into its two pictures: the crop with margin, and the boxed whole frame. */
final class MotionImages {
  /** Context around the motion helps the LLM tell a person from a shadow. */
  static final double CROP_MARGIN = 0.25;

  private MotionImages() {}

  /** Draws the box into the frame's own pixels: the caller is done with them afterwards. */
  static MotionEvent event(CapturedFrame frame, Box motion, Instant at) {
    Box crop = motion.expand(CROP_MARGIN, frame.width(), frame.height());
    try (Mat image = new Mat(frame.height(), frame.width(), CV_8UC3, frame.bgr());
        Rect cropRect = new Rect(crop.x(), crop.y(), crop.width(), crop.height());
        Mat cropped = new Mat(image, cropRect);
        Rect motionRect = new Rect(motion.x(), motion.y(), motion.width(), motion.height())) {
      byte[] cropJpeg = Jpeg.encode(cropped.clone());
      rectangle(image, motionRect, new Scalar(0, 0, 255, 0), 2, 8, 0);
      return new MotionEvent(frame.camera(), at, cropJpeg, Jpeg.encode(image));
    }
  }
}
