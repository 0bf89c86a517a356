package io.homenvr.pipeline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A camera that comes back is reconnected by the probe, not by the backoff running out: the backoff
 * here is a minute, longer than any await, so only the probe can bring the camera back in time —
 * and the probe counters say it did. Real outages of a real RTSP server on loopback.
 */
class ReconnectProbeTest {
  /** A backoff far longer than every await below: a reconnect in time can only be the probe's. */
  private static final CaptureTimings LONG_BACKOFF =
      new CaptureTimings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          Duration.ofSeconds(60),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1));

  private static final Duration WELL_INSIDE_THE_BACKOFF = Duration.ofSeconds(20);

  private final List<CameraStream> cameras = new ArrayList<>();

  @AfterEach
  void stopCameras() throws Exception {
    for (CameraStream camera : cameras) {
      assertThat(camera.stop(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void refusingCameraIsReconnectedByTheFirstProbeItAnswers() throws Exception {
    RtspTestServer server = RtspTestServer.start();
    try {
      CameraStream camera = start(server.url("/ball"));
      awaitStreaming(camera);
      server.kill();
      long downAt = System.nanoTime();
      await().atMost(WELL_INSIDE_THE_BACKOFF).until(() -> camera.probes() >= 3);
      assertThat(camera.status().state()).isEqualTo(CameraState.BACKOFF);
      assertThat(camera.probeReconnects()).as("refused probes end no wait").isZero();
      server = server.restart();
      awaitStreaming(camera);
      double downSeconds = (System.nanoTime() - downAt) / 1e9;
      assertThat(camera.probeReconnects()).isEqualTo(1);
      assertThat(camera.status().reconnects())
          .as("one reconnect: the backoff never ran out, the probe ended it")
          .isEqualTo(1);
      assertThat(camera.probes())
          .as("at most one probe a second while down (%.1f s)", downSeconds)
          .isLessThanOrEqualTo((long) Math.ceil(downSeconds) + 1);
    } finally {
      server.close();
    }
  }

  @Test
  void silentCameraIsReconnectedByTheProbeOnceItAnswersAgain() throws Exception {
    try (RtspTestServer server = RtspTestServer.start()) {
      CameraStream camera = start(server.url("/ball"));
      awaitStreaming(camera);
      server.pause();
      try {
        await()
            .atMost(WELL_INSIDE_THE_BACKOFF)
            .until(() -> camera.status().state() == CameraState.BACKOFF && camera.probes() >= 2);
        assertThat(camera.probeReconnects()).as("unanswered probes end no wait").isZero();
      } finally {
        server.resume();
      }
      awaitStreaming(camera);
      assertThat(camera.probeReconnects()).isEqualTo(1);
      assertThat(camera.status().reconnects()).isEqualTo(1);
    }
  }

  @Test
  void frozenCameraStreamsAgainAfterItThawsWithoutWaitingForTheBackoff() throws Exception {
    try (RtspTestServer server = RtspTestServer.start()) {
      CameraStream camera = start(server.url("/ball"));
      awaitStreaming(camera);
      server.freeze("/ball");
      try {
        await()
            .atMost(WELL_INSIDE_THE_BACKOFF)
            .until(() -> camera.status().state() != CameraState.STREAMING && camera.probes() >= 2);
      } finally {
        server.thaw("/ball");
      }
      awaitStreaming(camera);
      assertThat(camera.probeReconnects()).isPositive();
    }
  }

  @Test
  void cameraThatAnswersButCannotStreamWaitsOutTheBackoff() {
    try (RtspTestServer server = RtspTestServer.start()) {
      CameraStream camera = start(server.url("/no-such-mount"));
      await()
          .atMost(WELL_INSIDE_THE_BACKOFF)
          .until(() -> camera.status().state() == CameraState.BACKOFF && camera.probes() >= 3);
      assertThat(camera.probeReconnects()).isZero();
      assertThat(camera.status().reconnects()).as("no attempt before the backoff ends").isZero();
      assertThat(camera.status().lastError()).contains("404");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private CameraStream start(String url) {
    CameraStream camera =
        new CameraStream(
            new CameraConfig(
                "probed",
                url,
                Transport.TCP,
                Optional.empty(),
                Optional.empty(),
                new DetectConfig(5, 160, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET),
                RecordConfig.DEFAULTS),
            Clock.systemUTC(),
            LONG_BACKOFF);
    cameras.add(camera);
    camera.start();
    return camera;
  }

  private static void awaitStreaming(CameraStream camera) {
    long frames = camera.status().framesTotal();
    await()
        .atMost(WELL_INSIDE_THE_BACKOFF)
        .until(
            () ->
                camera.status().state() == CameraState.STREAMING
                    && camera.status().framesTotal() > frames + 5);
  }
}
