package io.homenvr.pipeline.recording;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A camera named "cam" on a real RTSP URL, recorded as Main wires it: its index loaded from {@code
 * root}, its recorder fed by the camera's reader. Closing stops the camera first, then finishes the
 * recorder's open segment.
 */
final class RecordedCamera implements AutoCloseable {
  final RecordingIndex index;
  final Recorder recorder;
  final CameraStream camera;

  private RecordedCamera(Path root, String url, RecordConfig record) throws IOException {
    index = new RecordingIndex(root, "cam");
    index.load();
    recorder = new Recorder("cam", record, index, Clock.systemUTC(), () -> {});
    camera =
        new CameraStream(
            new CameraConfig(
                "cam",
                url,
                Transport.TCP,
                Optional.empty(),
                Optional.empty(),
                new DetectConfig(5, 160, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET),
                record),
            Clock.systemUTC(),
            CaptureTimings.DEFAULTS,
            recorder);
  }

  static RecordedCamera start(Path root, String url, RecordConfig record) throws IOException {
    RecordedCamera recorded = new RecordedCamera(root, url, record);
    recorded.recorder.start();
    recorded.camera.start();
    return recorded;
  }

  /** Whether the camera thread stopped within 5 s; the recorder is closed either way. */
  boolean stop() throws InterruptedException {
    try {
      return camera.stop(Duration.ofSeconds(5));
    } finally {
      recorder.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
