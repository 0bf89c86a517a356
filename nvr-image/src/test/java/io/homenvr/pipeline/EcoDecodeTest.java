package io.homenvr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;

import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.motion.AnalysisLoop;
import io.homenvr.pipeline.motion.MotionEvent;
import io.homenvr.pipeline.recording.PacketSink;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.junit.jupiter.api.Test;

/**
 * Eco decode with the real camera and the real motion check: the loopback {@code /scene} mount is
 * still (black) until told to show a moving ball, a keyframe every 15 frames at 10 fps. Decoded
 * frames are counted against the packets the recorder's sink is handed.
 */
class EcoDecodeTest {
  private static final int GOP = 15;
  private static final Duration QUIET = Duration.ofSeconds(2);

  @Test
  void stillSceneDecodesKeyframesOnlyMotionEverythingFromTheNextKeyframeQuietBackToEco()
      throws Exception {
    try (RtspTestServer server = RtspTestServer.start()) {
      CountingSink sink = new CountingSink();
      CameraConfig config =
          new CameraConfig(
              "scene",
              server.url("/scene"),
              Transport.TCP,
              Optional.empty(),
              Optional.empty(),
              new DetectConfig(5, 160, 0.5, DecodeMode.ECO, QUIET),
              RecordConfig.DEFAULTS);
      CameraStream camera =
          new CameraStream(config, Clock.systemUTC(), CaptureTimings.DEFAULTS, sink);
      List<MotionEvent> events = new CopyOnWriteArrayList<>();
      AnalysisLoop analysis =
          new AnalysisLoop(
              List.of(config),
              name -> camera.latestGrey(),
              name -> camera.requestFullFrame(),
              name -> camera.motionSeen(),
              name -> false,
              events::add,
              Duration.ofSeconds(60),
              Clock.systemUTC());
      camera.start();
      analysis.start();
      try {
        // still: keyframes only, once the motion check has learnt the scene
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> camera.status().keyframesOnly() && analysis.status().analysesTotal() >= 12);
        CameraStatus before = camera.status();
        long sunkBefore = sink.video.get();
        long windowStart = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> camera.status().videoPacketsTotal() >= before.videoPacketsTotal() + 4 * GOP);
        CameraStatus still = camera.status();
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        long packets = still.videoPacketsTotal() - before.videoPacketsTotal();
        long frames = still.framesTotal() - before.framesTotal();
        assertThat(frames)
            .as("decoded frames for %d packets of a still scene", packets)
            .isLessThanOrEqualTo(packets / GOP + 1);
        assertThat(still.keyframesOnly()).isTrue();
        assertThat(sink.video.get() - sunkBefore)
            .as("packets handed to the recorder in %.1f s at 10 fps", seconds)
            .isGreaterThanOrEqualTo((long) (seconds * 10 * 0.8));
        assertThat(events).isEmpty();

        // motion: noticed on the next keyframe, every frame decoded from the one after it
        long keysBeforeMotion = sink.keyframes.get();
        server.sceneMoving(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !camera.status().keyframesOnly());
        assertThat(sink.keyframes.get() - keysBeforeMotion)
            .as("keyframes since the scene started moving when full decoding began")
            .isBetween(1L, 2L);
        CameraStatus fullFrom = camera.status();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> camera.status().videoPacketsTotal() >= fullFrom.videoPacketsTotal() + GOP);
        CameraStatus full = camera.status();
        assertThat(full.framesTotal() - fullFrom.framesTotal())
            .as("moving: every packet decoded")
            .isGreaterThanOrEqualTo(full.videoPacketsTotal() - fullFrom.videoPacketsTotal() - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());

        // quiet again: back to keyframes only after ecoQuiet
        server.sceneMoving(false);
        await().atMost(Duration.ofSeconds(15)).until(() -> camera.status().keyframesOnly());
        assertThat(camera.status().reconnects()).isZero();
      } finally {
        analysis.close();
        assertThat(camera.stop(Duration.ofSeconds(2))).isTrue();
      }
    }
  }

  /** Counts what a recorder would be handed. */
  private static final class CountingSink implements PacketSink {
    final AtomicLong video = new AtomicLong();
    final AtomicLong keyframes = new AtomicLong();

    @Override
    public void sessionStarted(AVFormatContext format, int videoStream, int audioStream) {}

    @Override
    public void packet(AVPacket packet, boolean isVideo) {
      if (isVideo) {
        video.incrementAndGet();
        if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
          keyframes.incrementAndGet();
        }
      }
    }

    @Override
    public void sessionEnded(String cause) {}
  }
}
