package io.homenvr.pipeline.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Motion on real decoded video: the moving ball is found where it is, colour bars are still. */
class MotionDetectorTest {
  private static final DetectConfig DETECT = new DetectConfig(5, 160, 0.5);
  private static RtspTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = RtspTestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** The next {@code count} published frames of a mount, decoded by the real capture path. */
  private static List<CapturedFrame> frames(String mount, int count) throws Exception {
    CameraStream camera =
        new CameraStream(
            new CameraConfig(
                "test",
                server.url(mount),
                Transport.TCP,
                Optional.empty(),
                Optional.empty(),
                DETECT),
            Clock.systemUTC(),
            CaptureTimings.DEFAULTS);
    camera.start();
    List<CapturedFrame> frames = new ArrayList<>();
    AtomicReference<CapturedFrame> last = new AtomicReference<>();
    try {
      while (frames.size() < count) {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> camera.latestFrame() != null && camera.latestFrame() != last.get());
        last.set(camera.latestFrame());
        frames.add(last.get());
      }
    } finally {
      camera.stop(Duration.ofSeconds(2));
    }
    return frames;
  }

  /** Centre of the white ball: the mean of near-white pixels on the black background. */
  private static int[] ballCentre(CapturedFrame frame) {
    long sumX = 0;
    long sumY = 0;
    long count = 0;
    byte[] bgr = frame.bgr();
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        int i = (y * frame.width() + x) * 3;
        if ((bgr[i] & 0xff) > 200 && (bgr[i + 1] & 0xff) > 200 && (bgr[i + 2] & 0xff) > 200) {
          sumX += x;
          sumY += y;
          count++;
        }
      }
    }
    assertThat(count).as("ball pixels").isPositive();
    return new int[] {(int) (sumX / count), (int) (sumY / count)};
  }

  @Test
  void findsTheMovingBallWhereItIs() throws Exception {
    MotionDetector detector = new MotionDetector(DETECT);
    int found = 0;
    for (CapturedFrame frame : frames("/ball", MotionDetector.WARM_UP_FRAMES + 8)) {
      Optional<Box> motion = detector.detect(frame);
      if (motion.isPresent()) {
        found++;
        int[] ball = ballCentre(frame);
        assertThat(motion.get().contains(ball[0], ball[1]))
            .as("motion %s contains ball at %d,%d", motion.get(), ball[0], ball[1])
            .isTrue();
        assertThat(motion.get().width()).isLessThan(frame.width() / 2);
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(6);
  }

  @Test
  void reportsNoMotionOnAStillScene() throws Exception {
    MotionDetector detector = new MotionDetector(DETECT);
    for (CapturedFrame frame : frames("/still", MotionDetector.WARM_UP_FRAMES + 8)) {
      assertThat(detector.detect(frame)).isEmpty();
    }
  }

  @Test
  void cropsWithMarginAndBoxesTheWholeFrameForTheAlertPhoto() throws Exception {
    CapturedFrame frame = frames("/ball", 1).get(0);
    MotionEvent event = MotionImages.event(frame, new Box(100, 80, 40, 40), frame.capturedAt());
    assertThat(event.cropJpeg()).startsWith((byte) 0xff, (byte) 0xd8);
    assertThat(event.photoJpeg().length).isGreaterThan(event.cropJpeg().length);
    assertThat(new Box(100, 80, 40, 40).expand(0.25, 320, 240)).isEqualTo(new Box(84, 64, 72, 72));
    assertThat(new Box(0, 0, 320, 240).expand(0.25, 320, 240)).isEqualTo(new Box(0, 0, 320, 240));
  }
}
