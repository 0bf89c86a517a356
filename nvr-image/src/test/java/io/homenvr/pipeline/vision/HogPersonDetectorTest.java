package io.homenvr.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.capture.Jpeg;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/** The local fallback on real people: OpenCV's own pedestrian sample video (Debian opencv-doc). */
class HogPersonDetectorTest {
  private static final Path PEOPLE = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

  private static CapturedFrame firstFrame(String url) throws Exception {
    CameraStream camera =
        new CameraStream(
            new CameraConfig(
                "file",
                url,
                Transport.TCP,
                Optional.empty(),
                Optional.empty(),
                new DetectConfig(5, 640, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET),
                RecordConfig.DEFAULTS),
            Clock.systemUTC(),
            CaptureTimings.DEFAULTS);
    camera.start();
    try {
      return camera.requestFullFrame().get(15, TimeUnit.SECONDS);
    } finally {
      camera.stop(Duration.ofSeconds(2));
    }
  }

  @Test
  void findsPeopleInAStreetScene() throws Exception {
    assertThat(PEOPLE).as("apt-get install opencv-doc").exists();
    byte[] jpeg;
    try (CapturedFrame frame = firstFrame("file://" + PEOPLE)) {
      jpeg = Jpeg.encode(frame);
    }
    assertThat(new HogPersonDetector().containsPerson(jpeg)).isTrue();
  }

  @Test
  void findsNobodyInAnEmptyPictureNorInBrokenData() {
    byte[] grey = new byte[320 * 240 * 3];
    Arrays.fill(grey, (byte) 90);
    byte[] jpeg;
    try (CapturedFrame frame =
        new CapturedFrame("x", new BytePointer(grey), 320, 240, Instant.EPOCH, 1)) {
      jpeg = Jpeg.encode(frame);
    }
    assertThat(new HogPersonDetector().containsPerson(jpeg)).isFalse();
    assertThat(new HogPersonDetector().containsPerson(new byte[] {1, 2, 3})).isFalse();
  }
}
