package io.homenvr.pipeline.motion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.capture.GreyFrame;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Motion on real decoded video: the moving ball is found where it is, colour bars are still. */
class MotionDetectorTest {
  private static final DetectConfig DETECT =
      new DetectConfig(5, 160, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET);
  private static RtspTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = RtspTestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static CameraStream camera(String mount) {
    return new CameraStream(
        new CameraConfig(
            "test",
            server.url(mount),
            Transport.TCP,
            Optional.empty(),
            Optional.empty(),
            DETECT,
            RecordConfig.OFF),
        Clock.systemUTC(),
        CaptureTimings.DEFAULTS);
  }

  /** The next {@code count} grey frames of a mount, decoded and scaled by the real capture path. */
  private static List<GreyFrame> frames(String mount, int count) throws Exception {
    CameraStream camera = camera(mount);
    camera.start();
    List<GreyFrame> frames = new ArrayList<>();
    AtomicReference<GreyFrame> last = new AtomicReference<>();
    try {
      while (frames.size() < count) {
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> camera.latestGrey() != null && camera.latestGrey() != last.get());
        last.set(camera.latestGrey());
        frames.add(last.get());
      }
    } finally {
      camera.stop(Duration.ofSeconds(2));
    }
    return frames;
  }

  /** The next full-resolution colour frame of a mount. */
  private static CapturedFrame fullFrame(String mount) throws Exception {
    CameraStream camera = camera(mount);
    camera.start();
    try {
      return camera.requestFullFrame().get(15, TimeUnit.SECONDS);
    } finally {
      camera.stop(Duration.ofSeconds(2));
    }
  }

  /**
   * Centre of the white ball in source pixels: the mean of near-white pixels on the black
   * background of the grey frame, scaled back up.
   */
  private static int[] ballCentre(GreyFrame frame) {
    long sumX = 0;
    long sumY = 0;
    long count = 0;
    byte[] grey = frame.grey();
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        if ((grey[y * frame.width() + x] & 0xff) > 200) {
          sumX += x;
          sumY += y;
          count++;
        }
      }
    }
    assertThat(count).as("ball pixels").isPositive();
    double scaleX = frame.sourceWidth() / (double) frame.width();
    double scaleY = frame.sourceHeight() / (double) frame.height();
    return new int[] {(int) (sumX * scaleX / count), (int) (sumY * scaleY / count)};
  }

  @Test
  void findsTheMovingBallWhereItIs() throws Exception {
    MotionDetector detector = new MotionDetector(DETECT);
    int found = 0;
    for (GreyFrame frame : frames("/ball", MotionDetector.WARM_UP_FRAMES + 8)) {
      Optional<Box> motion = detector.detect(frame);
      System.out.println(
          "DEBUG " + motion + " ball " + java.util.Arrays.toString(ballCentre(frame)));
      if (motion.isPresent()) {
        found++;
        int[] ball = ballCentre(frame);
        assertThat(motion.get().contains(ball[0], ball[1]))
            .as("motion %s contains ball at %d,%d", motion.get(), ball[0], ball[1])
            .isTrue();
        assertThat(motion.get().width()).isLessThan(frame.sourceWidth() / 2);
      }
    }
    assertThat(found).isGreaterThanOrEqualTo(6);
  }

  @Test
  void reportsNoMotionOnAStillScene() throws Exception {
    MotionDetector detector = new MotionDetector(DETECT);
    for (GreyFrame frame : frames("/still", MotionDetector.WARM_UP_FRAMES + 8)) {
      assertThat(detector.detect(frame)).isEmpty();
    }
  }

  @Test
  void cropsWithMarginAndBoxesTheWholeFrameForTheAlertPhoto() throws Exception {
    MotionEvent event;
    try (CapturedFrame frame = fullFrame("/ball")) {
      assertThat(List.of(frame.width(), frame.height())).containsExactly(320, 240);
      event = MotionImages.event(frame, new Box(100, 80, 40, 40), frame.capturedAt());
    }
    assertThat(event.cropJpeg()).startsWith((byte) 0xff, (byte) 0xd8);
    assertThat(event.photoJpeg().length).isGreaterThan(event.cropJpeg().length);
    assertThat(new Box(100, 80, 40, 40).expand(0.25, 320, 240)).isEqualTo(new Box(84, 64, 72, 72));
    assertThat(new Box(0, 0, 320, 240).expand(0.25, 320, 240)).isEqualTo(new Box(0, 0, 320, 240));
    assertThat(new Box(100, 80, 40, 40).rescale(320, 240, 320, 240))
        .isEqualTo(new Box(100, 80, 40, 40));
    assertThat(new Box(100, 80, 40, 40).rescale(320, 240, 480, 360))
        .isEqualTo(new Box(150, 120, 60, 60));
    assertThat(new Box(300, 200, 20, 40).rescale(480, 360, 320, 240))
        .isEqualTo(new Box(200, 133, 14, 27));
  }
}
