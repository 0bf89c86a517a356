package io.homenvr.pipeline.capture;

import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.Urls;
import io.homenvr.pipeline.recording.PacketSink;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera's {@code recordUrl} (its main stream), read by a thread of its own that only demuxes: no
 * decoder is opened, every packet goes to the recorder. Detection keeps reading the camera's {@code
 * url} (the sub-stream) in its {@link CameraStream}. Same rules as there: this thread alone opens,
 * reads and closes its reader, reconnects with capped backoff, and stops on a flag.
 */
public final class RecordingSource {
  private static final Logger log = LoggerFactory.getLogger(RecordingSource.class);

  private final CameraConfig config;
  private final String url;
  private final CaptureTimings timings;
  private final PacketSink recorder;
  private final Thread thread;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final ReconnectWait reconnectWait;
  private volatile boolean stopRequested;

  public RecordingSource(CameraConfig config, CaptureTimings timings, PacketSink recorder) {
    this.config = config;
    this.url = config.record().recordUrl().orElseThrow();
    this.timings = timings;
    this.recorder = recorder;
    this.reconnectWait = new ReconnectWait(url, timings, stopSignal);
    this.thread = new Thread(this::run, "recordsrc-" + config.name());
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public boolean stop(Duration timeout) throws InterruptedException {
    stopRequested = true;
    InterruptFlag.checkNow(); // a blocked FFmpeg call returns now
    stopSignal.countDown();
    reconnectWait.abort();
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  private void run() {
    String withLogin = Urls.withCredentials(url, config.username(), config.password());
    Backoff backoff = new Backoff(timings.backoffInitial(), timings.backoffMax());
    try {
      while (!stopRequested) {
        long sessionStart = System.nanoTime();
        String cause;
        boolean lostByWaiting = false;
        try (RtspReader reader =
            new RtspReader(() -> stopRequested, timings.frameTimeout(), recorder, false)) {
          reader.open(withLogin, config.transport(), timings.openTimeout());
          log.info(
              "camera={} recording {} from {}",
              config.name(),
              reader.codecName(),
              Urls.redact(url));
          reader.pump();
          cause = "stream ended";
        } catch (CaptureStoppedException e) {
          recorder.sessionEnded(null);
          break;
        } catch (CaptureException | RuntimeException e) {
          cause = "recording stream lost: " + e.getMessage();
          lostByWaiting = e instanceof CaptureException c && c.deadlinePassed();
        }
        recorder.sessionEnded(cause);
        if (System.nanoTime() - sessionStart > timings.stableSession().toNanos()) {
          backoff.reset();
        }
        Duration delay = backoff.nextDelay();
        log.warn("camera={} {}; reconnecting in {} ms", config.name(), cause, delay.toMillis());
        ReconnectWait.Outcome waited = reconnectWait.await(delay, lostByWaiting);
        if (waited == ReconnectWait.Outcome.STOPPED) {
          break;
        }
        if (waited == ReconnectWait.Outcome.CAMERA_ANSWERS) {
          log.info("camera={} recording stream answers again; reconnecting now", config.name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      recorder.sessionEnded(null);
    }
  }
}
