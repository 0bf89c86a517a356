package io.homenvr.pipeline.capture;

import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.Urls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera: a thread that alone opens, reads and closes its {@link RtspReader}, reconnecting with
 * capped backoff. Other threads only read its counters and latest frame, and stop it with a flag.
 */
public final class CameraStream {
  private static final Logger log = LoggerFactory.getLogger(CameraStream.class);

  private final CameraConfig config;
  private final String redactedUrl;
  private final Clock clock;
  private final CaptureTimings timings;
  private final long publishIntervalNanos;
  private final Thread thread;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile boolean stopRequested;

  private volatile CameraState state = CameraState.CONNECTING;
  private volatile CapturedFrame latest;
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

  public CameraStream(CameraConfig config, Clock clock, CaptureTimings timings) {
    this.config = config;
    this.redactedUrl = Urls.redact(config.url());
    this.clock = clock;
    this.timings = timings;
    this.publishIntervalNanos = (long) (1_000_000_000L / config.detect().fps());
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
    stopSignal.countDown();
  }

  /** Stops and waits for the camera thread to release its reader. */
  public boolean stop(Duration timeout) throws InterruptedException {
    requestStop();
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  /** The newest published frame (at most {@code detect.fps} per second), or null before one. */
  public CapturedFrame latestFrame() {
    return latest;
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
        codec);
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
        try (RtspReader reader = new RtspReader(() -> stopRequested, timings.frameTimeout())) {
          reader.open(url, config.transport(), timings.openTimeout());
          stream(reader);
        } catch (CaptureStoppedException e) {
          break;
        } catch (CaptureException | RuntimeException e) {
          lastError = e.getMessage();
          lastErrorAt = clock.instant();
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
        if (stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      state = CameraState.STOPPED;
      log.info("camera={} stopped", config.name());
    }
  }

  private void stream(RtspReader reader) throws CaptureException, CaptureStoppedException {
    long lastPublish = System.nanoTime() - publishIntervalNanos;
    long windowStart = System.nanoTime();
    long windowFrames = 0;
    boolean first = true;
    while (true) {
      reader.nextFrame();
      long now = System.nanoTime();
      Instant at = clock.instant();
      framesTotal++;
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
        latest = new CapturedFrame(config.name(), reader.copyBgr(), width, height, at, framesTotal);
      }
    }
  }
}
