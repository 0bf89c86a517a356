package io.homenvr.pipeline.capture;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** JPEG encoding of packed BGR pixels (snapshots, crops for the vision LLM, alert photos). */
public final class Jpeg {
  private static final int QUALITY = 85;

  private Jpeg() {}

  public static byte[] encode(CapturedFrame frame) {
    try (Mat image = new Mat(frame.height(), frame.width(), CV_8UC3, frame.bgr())) {
      return encode(image);
    }
  }

  public static byte[] encode(Mat image) {
    try (BytePointer out = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
      if (!imencode(".jpg", image, out, params)) {
        throw new IllegalStateException("JPEG encoding failed");
      }
      byte[] jpeg = new byte[(int) out.limit()];
      out.get(jpeg);
      return jpeg;
    }
  }
}
