package io.homenvr.pipeline.capture;

import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.Urls;
import io.homenvr.pipeline.recording.PacketSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: a thread that alone opens, reads and closes its {@link RtspReader}, reconnecting with
 * capped backoff. Other threads only read its counters and the copies it publishes, ask it for a
 * full-resolution frame, and stop it with a flag.
 *
 * <p>Only what is needed is converted: each detect tick one small grey frame, at most once a second
 * a small JPEG (snapshots), and a full-resolution colour frame only when asked (motion events). No
 * full-size buffer is kept between requests.
 */
public final class CameraStream {
  private static final Logger log = LoggerFactory.getLogger(CameraStream.class);

  /** Snapshots show a watched camera at most this old; more often would cost CPU nobody sees. */
  static final Duration PREVIEW_INTERVAL = Duration.ofSeconds(1);

  /**
   * A camera nobody asked for a snapshot in {@link #PREVIEW_WATCHED_FOR} gets one this often: a
   * snapshot is a colour conversion and a JPEG (≈ 2.5 ms at 640×360, 2 % of a 1080p camera's CPU
   * when made every second), and the first request after a while shows a picture at most this old
   * (its time in {@code X-Frame-Time}); the next ones are fresh each second.
   */
  static final Duration PREVIEW_IDLE_INTERVAL = Duration.ofSeconds(10);

  /** A snapshot request keeps the camera's previews coming each second for this long. */
  static final Duration PREVIEW_WATCHED_FOR = Duration.ofSeconds(30);

  /**
   * Eco mode decodes keyframes only when they come at least this often: motion is noticed at the
   * next keyframe, and a camera with a longer interval would notice it too late (it decodes fully).
   */
  static final Duration ECO_MAX_KEYFRAME_INTERVAL = Duration.ofMillis(2500);

  /** Full-resolution requests waiting for the next frame; more are refused, not queued. */
  static final int MAX_FULL_FRAME_REQUESTS = 4;

  private final CameraConfig config;
  private final PacketSink recorder;
  private final String redactedUrl;
  private final Clock clock;
  private final CaptureTimings timings;
  private final long publishIntervalNanos;
  private final long previewIntervalNanos;
  private final long previewIdleIntervalNanos;
  private volatile long previewWatchedUntilNanos = System.nanoTime();
  private final Thread thread;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final ReconnectWait reconnectWait;
  private volatile boolean stopRequested;

  private volatile CameraState state = CameraState.CONNECTING;
  private volatile GreyFrame latestGrey;
  private volatile Snapshot latestSnapshot;
  private final BlockingQueue<CompletableFuture<CapturedFrame>> fullFrameRequests =
      new ArrayBlockingQueue<>(MAX_FULL_FRAME_REQUESTS);
  private volatile Instant lastFrameAt;
  private volatile long framesTotal;
  private volatile double fps;
  private volatile long reconnects;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile Instant connectedAt;
  private volatile int width;
  private volatile int height;
  private volatile String codec;
  private volatile long fullDecodeUntilNanos = System.nanoTime();
  private volatile boolean keyframesOnly;
  private volatile long videoPacketsTotal;
  private volatile long keyframeIntervalNanos;

  public CameraStream(CameraConfig config, Clock clock, CaptureTimings timings) {
    this(config, clock, timings, null);
  }

  /** A camera whose demuxed packets also go to {@code recorder} (null: not recorded). */
  public CameraStream(
      CameraConfig config, Clock clock, CaptureTimings timings, PacketSink recorder) {
    this.recorder = recorder;
    this.config = config;
    this.redactedUrl = Urls.redact(config.url());
    this.clock = clock;
    this.timings = timings;
    this.publishIntervalNanos = (long) (1_000_000_000L / config.detect().fps());
    this.previewIntervalNanos = Math.max(publishIntervalNanos, PREVIEW_INTERVAL.toNanos());
    this.previewIdleIntervalNanos = PREVIEW_IDLE_INTERVAL.toNanos();
    this.reconnectWait = new ReconnectWait(config.url(), timings, stopSignal);
    this.thread = new Thread(this::run, "camera-" + config.name());
    this.thread.setDaemon(true);
  }

  public String name() {
    return config.name();
  }

  public CameraConfig config() {
    return config;
  }

  public void start() {
    thread.start();
  }

  /** Asks the camera thread to stop; a blocked FFmpeg call notices it at its next poll. */
  public void requestStop() {
    stopRequested = true;
    InterruptFlag.checkNow(); // a blocked FFmpeg call returns now
    stopSignal.countDown();
    reconnectWait.abort();
  }

  /** Stops and waits for the camera thread to release its reader. */
  public boolean stop(Duration timeout) throws InterruptedException {
    requestStop();
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  /**
   * Motion seen now (the analysis thread): in eco mode every frame is decoded from the next
   * keyframe until the scene has been still for {@code detect.ecoQuietSeconds}. Returns whether the
   * newest frame came from full decoding, false for an eco-mode keyframe.
   */
  public boolean motionSeen() {
    fullDecodeUntilNanos = System.nanoTime() + config.detect().ecoQuiet().toNanos();
    return !keyframesOnly;
  }

  /** Whether this keyframe's group of pictures is decoded whole; asked by the reader. */
  private boolean decodeAllFrames(long keyframeInterval) {
    return config.detect().decode() == DecodeMode.FULL
        || keyframeInterval == 0
        || keyframeInterval > ECO_MAX_KEYFRAME_INTERVAL.toNanos()
        || System.nanoTime() - fullDecodeUntilNanos < 0;
  }

  /** Waits between sessions that a probe cut short because the camera answered again. */
  long probeReconnects() {
    return reconnectWait.answered();
  }

  /** Probes sent while waiting to reconnect. */
  long probes() {
    return reconnectWait.probes();
  }

  /**
   * The newest grey frame at the detect width (published {@code detect.fps} times a second), or
   * null before one.
   */
  public GreyFrame latestGrey() {
    return latestGrey;
  }

  /**
   * The newest JPEG at the detect width, or null before one: made each second while someone asks
   * (this call), every {@link #PREVIEW_IDLE_INTERVAL} otherwise. Never waits for the camera.
   */
  public Snapshot latestSnapshot() {
    previewWatchedUntilNanos = System.nanoTime() + PREVIEW_WATCHED_FOR.toNanos();
    return latestSnapshot;
  }

  /** The newest snapshot without counting as someone looking (tests). */
  Snapshot peekSnapshot() {
    return latestSnapshot;
  }

  /**
   * The next decoded frame in full resolution and colour, converted by the camera thread into a
   * native copy the caller owns and closes. Never completes while the camera has no frames: callers
   * bound their wait (and close a frame that arrives after they gave up).
   */
  public CompletableFuture<CapturedFrame> requestFullFrame() {
    CompletableFuture<CapturedFrame> request = new CompletableFuture<>();
    if (!fullFrameRequests.offer(request)) {
      request.completeExceptionally(
          new IllegalStateException(MAX_FULL_FRAME_REQUESTS + " full-frame requests pending"));
    } else if (state == CameraState.STOPPED) {
      failFullFrameRequests(); // the camera thread may have drained the queue already
    }
    return request;
  }

  private void failFullFrameRequests() {
    for (CompletableFuture<CapturedFrame> request; (request = fullFrameRequests.poll()) != null; ) {
      request.completeExceptionally(new IllegalStateException("camera stopped"));
    }
  }

  public CameraStatus status() {
    CameraState current = state;
    boolean streaming = current == CameraState.STREAMING;
    return new CameraStatus(
        config.name(),
        current,
        redactedUrl,
        lastFrameAt,
        framesTotal,
        streaming ? fps : 0.0,
        reconnects,
        lastError,
        lastErrorAt,
        streaming ? connectedAt : null,
        width == 0 ? null : width,
        height == 0 ? null : height,
        codec,
        config.detect().decode(),
        streaming && keyframesOnly,
        videoPacketsTotal,
        keyframeIntervalNanos == 0 ? null : keyframeIntervalNanos / 1e9);
  }

  private void run() {
    String url = Urls.withCredentials(config.url(), config.username(), config.password());
    Backoff backoff = new Backoff(timings.backoffInitial(), timings.backoffMax());
    boolean firstAttempt = true;
    try {
      while (!stopRequested) {
        if (!firstAttempt) {
          reconnects++;
        }
        firstAttempt = false;
        state = CameraState.CONNECTING;
        long sessionStart = System.nanoTime();
        // eco mode starts each session decoding every frame for a quiet period: the motion
        // detector learns its background from frames at the detect rate (2 s), not from keyframes
        // seconds apart (its warm-up would take 10 keyframes), and motion already under way when
        // the camera connects is seen at once
        fullDecodeUntilNanos = sessionStart + config.detect().ecoQuiet().toNanos();
        boolean lostByWaiting = false;
        try (RtspReader reader =
            new RtspReader(() -> stopRequested, timings.frameTimeout(), recorder)) {
          reader.decodeAllFramesWhen(this::decodeAllFrames);
          reader.open(url, config.transport(), timings.openTimeout());
          stream(reader);
        } catch (CaptureStoppedException e) {
          endRecording(null);
          break;
        } catch (CaptureException | RuntimeException e) {
          lastError = e.getMessage();
          lastErrorAt = clock.instant();
          lostByWaiting = e instanceof CaptureException c && c.deadlinePassed();
          endRecording("camera session lost: " + e.getMessage());
        }
        if (System.nanoTime() - sessionStart > timings.stableSession().toNanos()) {
          backoff.reset();
        }
        state = CameraState.BACKOFF;
        Duration delay = backoff.nextDelay();
        log.warn(
            "camera={} session lost: {}; reconnecting in {} ms",
            config.name(),
            lastError,
            delay.toMillis());
        ReconnectWait.Outcome waited = reconnectWait.await(delay, lostByWaiting);
        if (waited == ReconnectWait.Outcome.STOPPED) {
          break;
        }
        if (waited == ReconnectWait.Outcome.CAMERA_ANSWERS) {
          log.info("camera={} answers again; reconnecting now", config.name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      endRecording(null);
      state = CameraState.STOPPED;
      failFullFrameRequests();
      log.info("camera={} stopped", config.name());
    }
  }

  private void endRecording(String cause) {
    if (recorder != null) {
      recorder.sessionEnded(cause);
    }
  }

  private void stream(RtspReader reader) throws CaptureException, CaptureStoppedException {
    long packetsBefore = videoPacketsTotal;
    long lastPublish = System.nanoTime() - publishIntervalNanos;
    long lastPreview = System.nanoTime() - Math.max(previewIntervalNanos, previewIdleIntervalNanos);
    long windowStart = System.nanoTime();
    long windowFrames = 0;
    boolean first = true;
    while (true) {
      reader.nextFrame();
      long now = System.nanoTime();
      Instant at = clock.instant();
      framesTotal++;
      videoPacketsTotal = packetsBefore + reader.videoPackets();
      keyframesOnly = !reader.decodingAll();
      keyframeIntervalNanos = reader.keyframeIntervalNanos();
      lastFrameAt = at;
      if (first || reader.width() != width || reader.height() != height) {
        if (first) {
          codec = reader.codecName();
          connectedAt = at;
          state = CameraState.STREAMING;
          log.info(
              "camera={} streaming {} {}x{} from {}",
              config.name(),
              codec,
              reader.width(),
              reader.height(),
              redactedUrl);
        } else {
          log.info(
              "camera={} resolution changed {}x{} -> {}x{}",
              config.name(),
              width,
              height,
              reader.width(),
              reader.height());
        }
        width = reader.width();
        height = reader.height();
        first = false;
      }
      windowFrames++;
      if (now - windowStart >= 1_000_000_000L) {
        fps = windowFrames * 1e9 / (now - windowStart);
        windowStart = now;
        windowFrames = 0;
      }
      if (now - lastPublish >= publishIntervalNanos) {
        lastPublish = now;
        double scale = Math.min(1.0, config.detect().width() / (double) width);
        int detectWidth = Math.max(1, (int) Math.round(width * scale));
        int detectHeight = Math.max(1, (int) Math.round(height * scale));
        latestGrey =
            new GreyFrame(
                config.name(),
                reader.grey(detectWidth, detectHeight),
                detectWidth,
                detectHeight,
                width,
                height,
                at,
                framesTotal);
        boolean watched = now - previewWatchedUntilNanos < 0;
        if (now - lastPreview >= (watched ? previewIntervalNanos : previewIdleIntervalNanos)) {
          lastPreview = now;
          latestSnapshot = new Snapshot(config.name(), reader.jpeg(detectWidth, detectHeight), at);
        }
      }
      for (CompletableFuture<CapturedFrame> request;
          (request = fullFrameRequests.poll()) != null; ) {
        request.complete(
            new CapturedFrame(config.name(), reader.fullBgr(), width, height, at, framesTotal));
      }
    }
  }
}
