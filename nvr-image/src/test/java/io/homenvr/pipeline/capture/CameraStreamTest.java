package io.homenvr.pipeline.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.testing.LogCapture;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capture against a real RTSP server on loopback, with real freezes, silences and refusals. */
class CameraStreamTest {
  /** The bound: a frozen, silent or refused camera is noticed within 5 s. */
  private static final Duration DETECTION_BOUND = Duration.ofSeconds(5);

  private static RtspTestServer server;
  private final List<CameraStream> cameras = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = RtspTestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void stopCameras() throws Exception {
    for (CameraStream camera : cameras) {
      assertThat(camera.stop(Duration.ofSeconds(2))).isTrue();
    }
  }

  private CameraStream start(String name, String url) {
    return start(name, url, Optional.empty(), Optional.empty());
  }

  private CameraStream start(
      String name, String url, Optional<String> username, Optional<String> password) {
    CameraStream camera =
        new CameraStream(
            new CameraConfig(
                name,
                url,
                Transport.TCP,
                username,
                password,
                new DetectConfig(5, 160, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET),
                RecordConfig.DEFAULTS),
            Clock.systemUTC(),
            CaptureTimings.DEFAULTS);
    cameras.add(camera);
    camera.start();
    return camera;
  }

  private static void awaitStreaming(CameraStream camera, Duration within) {
    long frames = camera.status().framesTotal();
    await()
        .atMost(within)
        .until(
            () ->
                camera.status().state() == CameraState.STREAMING
                    && camera.status().framesTotal() > frames + 5);
  }

  private static Duration awaitLost(CameraStream camera, String error) {
    long start = System.nanoTime();
    await()
        .atMost(DETECTION_BOUND)
        .until(
            () ->
                camera.status().state() != CameraState.STREAMING
                    && camera.status().lastError() != null
                    && camera.status().lastError().contains(error));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void decodesH264AndPublishesPrivateCopiesAtDetectWidthAndFullResolutionOnRequest()
      throws Exception {
    long startedAt = System.nanoTime();
    CameraStream camera = start("ball", server.url("/ball"));
    await().atMost(Duration.ofSeconds(15)).until(() -> camera.status().framesTotal() > 0);
    report("first frame of a camera (no fault anywhere)", since(startedAt));
    awaitStreaming(camera, Duration.ofSeconds(15));
    CameraStatus status = camera.status();
    assertThat(status.codec()).isEqualTo("h264");
    assertThat(status.width()).isEqualTo(320);
    assertThat(status.height()).isEqualTo(240);
    assertThat(status.connectedAt()).isNotNull();
    await().atMost(Duration.ofSeconds(5)).until(() -> camera.status().fps() > 5);
    GreyFrame grey = camera.latestGrey();
    assertThat(grey.grey()).hasSize(160 * 120);
    assertThat(List.of(grey.width(), grey.height(), grey.sourceWidth(), grey.sourceHeight()))
        .containsExactly(160, 120, 320, 240);
    await().atMost(Duration.ofSeconds(5)).until(() -> camera.latestGrey() != grey);
    assertThat(camera.latestGrey().grey()).isNotSameAs(grey.grey());
    BufferedImage snapshot = ImageIO.read(new ByteArrayInputStream(camera.latestSnapshot().jpeg()));
    assertThat(List.of(snapshot.getWidth(), snapshot.getHeight())).containsExactly(160, 120);
    try (CapturedFrame full = camera.requestFullFrame().get(5, TimeUnit.SECONDS)) {
      assertThat(List.of(full.width(), full.height())).containsExactly(320, 240);
      assertThat(full.bgr().capacity()).isEqualTo(320 * 240 * 3);
      assertThat(full.sequence()).isGreaterThan(grey.sequence());
    }
    List<CompletableFuture<CapturedFrame>> requests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      requests.add(camera.requestFullFrame());
    }
    for (CompletableFuture<CapturedFrame> request : requests) {
      request.get(5, TimeUnit.SECONDS).close();
    }
    assertThat(requests.get(0).join())
        .as("each request owns its frame")
        .isNotSameAs(requests.get(1).join());
  }

  @Test
  void makesSnapshotsEverySecondOnlyWhileSomeoneAsksForThem() {
    CameraStream camera = start("ball", server.url("/ball"));
    awaitStreaming(camera, Duration.ofSeconds(15));
    await().atMost(Duration.ofSeconds(5)).until(() -> camera.peekSnapshot() != null);
    Snapshot unwatched = camera.peekSnapshot();
    // nobody asked: no new picture for PREVIEW_IDLE_INTERVAL (10 s), although 25 frames came
    long frames = camera.status().framesTotal();
    await().atMost(Duration.ofSeconds(8)).until(() -> camera.status().framesTotal() > frames + 25);
    assertThat(camera.peekSnapshot()).isSameAs(unwatched);
    // asked once: a fresh one within the preview interval, and another a second later
    assertThat(camera.latestSnapshot()).isSameAs(unwatched);
    await().atMost(Duration.ofSeconds(3)).until(() -> camera.peekSnapshot() != unwatched);
    Snapshot watched = camera.peekSnapshot();
    await().atMost(Duration.ofSeconds(3)).until(() -> camera.peekSnapshot() != watched);
    assertThat(camera.peekSnapshot().capturedAt()).isAfter(watched.capturedAt());
  }

  @Test
  void refusesFullFrameRequestsBeyondTheBoundAndFailsThoseWaitingWhenStopped() throws Exception {
    CameraStream camera = start("refused", "rtsp://127.0.0.1:1/nothing");
    List<CompletableFuture<CapturedFrame>> waiting = new ArrayList<>();
    for (int i = 0; i < CameraStream.MAX_FULL_FRAME_REQUESTS; i++) {
      waiting.add(camera.requestFullFrame());
    }
    assertThat(camera.requestFullFrame()).isCompletedExceptionally();
    assertThat(waiting).noneMatch(CompletableFuture::isDone);
    assertThat(camera.stop(Duration.ofSeconds(1))).isTrue();
    assertThat(waiting).allMatch(CompletableFuture::isCompletedExceptionally);
    assertThat(camera.requestFullFrame()).as("asked after the stop").isCompletedExceptionally();
  }

  @Test
  void connectsWithCredentialsAndNeverLogsThem() {
    try (LogCapture logs = new LogCapture()) {
      CameraStream camera =
          start("secret", server.url("/still"), Optional.of("admin"), Optional.of("hunter2!"));
      awaitStreaming(camera, Duration.ofSeconds(15));
      assertThat(camera.status().url()).isEqualTo(server.url("/still"));
      assertThat(logs.text()).contains("camera=secret streaming").doesNotContain("hunter2");
    }
  }

  @Test
  void decodesH265() {
    assertThat(server.has("/h265"))
        .as("x265enc missing: apt-get install gstreamer1.0-plugins-bad")
        .isTrue();
    CameraStream camera = start("hevc", server.url("/h265"));
    awaitStreaming(camera, Duration.ofSeconds(15));
    assertThat(camera.status().codec()).isEqualTo("hevc");
  }

  @Test
  void survivesAResolutionChangeMidStream() throws Exception {
    CameraStream camera = start("resize", server.url("/resize"));
    awaitStreaming(camera, Duration.ofSeconds(15));
    int before = camera.status().width();
    server.resize();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> camera.status().width() != before && camera.latestGrey().sourceWidth() != before);
    GreyFrame grey = camera.latestGrey();
    assertThat(grey.width()).isEqualTo(160);
    assertThat(grey.grey()).hasSize(160 * grey.height());
    try (CapturedFrame full = camera.requestFullFrame().get(5, TimeUnit.SECONDS)) {
      assertThat(full.width()).isEqualTo(camera.status().width()).isNotEqualTo(before);
      assertThat(full.bgr().capacity()).isEqualTo(full.width() * full.height() * 3L);
    }
    assertThat(camera.status().state()).isEqualTo(CameraState.STREAMING);
    assertThat(camera.status().reconnects()).isZero();
  }

  @Test
  void frozenVideoWithLiveRtcpIsNoticedAndReconnectedWhileOtherCamerasGoOn() throws Exception {
    CameraStream frozen = start("frozen", server.url("/ball"));
    CameraStream steady = start("steady", server.url("/still"));
    awaitStreaming(frozen, Duration.ofSeconds(15));
    awaitStreaming(steady, Duration.ofSeconds(15));
    try {
      server.freeze("/ball");
      long freezeStart = System.nanoTime();
      report("freeze (RTCP alive) detected after", awaitLost(frozen, "no video frame"));

      long newcomerStart = System.nanoTime();
      CameraStream newcomer = start("newcomer", server.url("/still"));
      await().atMost(Duration.ofSeconds(4)).until(() -> newcomer.status().framesTotal() > 0);
      report("another camera's first frame while one is frozen", since(newcomerStart));
      awaitStreaming(steady, Duration.ofSeconds(2));

      server.thaw("/ball");
      awaitStreaming(frozen, Duration.ofSeconds(10));
      report("frozen camera streaming again after", since(freezeStart));
      assertThat(frozen.status().reconnects()).isPositive();
    } finally {
      server.thaw("/ball");
    }
  }

  @Test
  void silentServerIsNoticedAndStopReturnsWithinASecondDuringABlockedRead() throws Exception {
    try (RtspTestServer silent = RtspTestServer.start()) {
      CameraStream camera = start("silent", silent.url("/ball"));
      CameraStream stopping = start("stopping", silent.url("/ball"));
      awaitStreaming(camera, Duration.ofSeconds(15));
      awaitStreaming(stopping, Duration.ofSeconds(15));
      silent.pause();
      long pausedAt = System.nanoTime();
      try {
        long blockedFrames = stopping.status().framesTotal();
        await()
            .during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(2))
            .until(() -> stopping.status().framesTotal() == blockedFrames);
        long stopStart = System.nanoTime();
        assertThat(stopping.stop(Duration.ofSeconds(1))).isTrue();
        report("stop() during a blocked read returned after", since(stopStart));

        long newcomerStart = System.nanoTime();
        CameraStream newcomer = start("newcomer", server.url("/still"));
        await().atMost(Duration.ofSeconds(4)).until(() -> newcomer.status().framesTotal() > 0);
        report("another camera's first frame while one is silent", since(newcomerStart));

        awaitLost(camera, "no video frame");
        report("silence (SIGSTOP) detected after", since(pausedAt));
        assertThat(since(pausedAt)).isLessThan(DETECTION_BOUND);
      } finally {
        silent.resume();
      }
      awaitStreaming(camera, Duration.ofSeconds(10));
      assertThat(camera.status().reconnects()).isPositive();
    }
  }

  @Test
  void refusingServerIsRetriedWithBackoffUntilItIsBack() throws Exception {
    RtspTestServer refusing = RtspTestServer.start();
    try {
      CameraStream camera = start("refused", refusing.url("/ball"));
      awaitStreaming(camera, Duration.ofSeconds(15));
      refusing.kill();
      long killedAt = System.nanoTime();
      await().atMost(DETECTION_BOUND).until(() -> camera.status().state() != CameraState.STREAMING);
      report("killed server detected after", since(killedAt));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  camera.status().reconnects() >= 2
                      && String.valueOf(camera.status().lastError()).contains("refused"));
      long restartAt = System.nanoTime();
      refusing = refusing.restart();
      awaitStreaming(camera, Duration.ofSeconds(15));
      report("streaming again after the server came back", since(restartAt));
    } finally {
      refusing.close();
    }
  }

  @Test
  void stopDuringConnectToAServerThatNeverAnswersReturnsWithinASecond() throws Exception {
    try (RtspTestServer silent = RtspTestServer.start()) {
      silent.pause();
      try {
        CameraStream camera = start("connecting", silent.url("/ball"));
        await()
            .during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(2))
            .until(() -> camera.status().state() == CameraState.CONNECTING);
        long stopStart = System.nanoTime();
        assertThat(camera.stop(Duration.ofSeconds(1))).isTrue();
        report("stop() during a blocked connect returned after", since(stopStart));
      } finally {
        silent.resume();
      }
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static void report(String what, Duration took) {
    System.out.printf("measured: %s %d ms%n", what, took.toMillis());
  }
}
