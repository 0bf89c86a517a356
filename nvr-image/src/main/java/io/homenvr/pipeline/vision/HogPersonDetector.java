package io.homenvr.pipeline.vision;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/** OpenCV's built-in HOG + linear SVM people detector (Dalal-Triggs), no model download. */
public final class HogPersonDetector implements PersonDetector {
  /** The detector's window is 64x128: smaller crops are scaled up to be seen at all. */
  private static final int MIN_HEIGHT = 160;

  private final HOGDescriptor hog = new HOGDescriptor();

  public HogPersonDetector() {
    hog.setSVMDetector(new Mat(HOGDescriptor.getDefaultPeopleDetector()));
  }

  @Override
  public synchronized boolean containsPerson(byte[] jpeg) {
    try (BytePointer data = new BytePointer(jpeg);
        Mat encoded = new Mat(1, jpeg.length, CV_8UC1, data);
        Mat image = imdecode(encoded, IMREAD_COLOR);
        Mat scaled = new Mat();
        RectVector found = new RectVector()) {
      if (image.empty()) {
        return false;
      }
      Mat input = image;
      if (image.rows() < MIN_HEIGHT || image.cols() < 80) {
        double scale = Math.max(MIN_HEIGHT / (double) image.rows(), 80 / (double) image.cols());
        resize(
            image,
            scaled,
            new Size(
                (int) Math.round(image.cols() * scale), (int) Math.round(image.rows() * scale)));
        input = scaled;
      }
      hog.detectMultiScale(input, found);
      return found.size() > 0;
    }
  }
}
