package io.homenvr.pipeline.capture;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The wait before a camera's next session: the backoff's delay, cut short when a probe ({@link
 * RtspProbe}, at most one per {@code probeInterval}) sees the camera answer again, so a camera that
 * is back streams within about a probe interval whatever the backoff has grown to.
 *
 * <p>A camera that is really down costs one refused or unanswered connection per interval. The
 * probe ends the wait only when its answer is news: the camera failed to answer earlier in this
 * wait, or the session was lost by waiting (no video, or a connect that timed out), where the next
 * attempt is itself a long poll that costs the camera one idle session. A camera that answers but
 * fails fast (a wrong path, an unsupported stream) waits out the whole, growing backoff.
 */
final class ReconnectWait {
  enum Outcome {
    STOPPED,
    BACKOFF_ELAPSED,
    CAMERA_ANSWERS
  }

  private final Optional<RtspProbe> probe;
  private final Duration interval;
  private final Duration timeout;
  private final CountDownLatch stopSignal;
  private volatile long probes;
  private volatile long answered;

  ReconnectWait(String url, CaptureTimings timings, CountDownLatch stopSignal) {
    this.probe = RtspProbe.of(url);
    this.interval = timings.probeInterval();
    this.timeout = timings.probeTimeout();
    this.stopSignal = stopSignal;
  }

  /** Waits up to {@code delay}; {@code lostByWaiting}: the last session failed by a deadline. */
  Outcome await(Duration delay, boolean lostByWaiting) throws InterruptedException {
    long end = System.nanoTime() + delay.toNanos();
    boolean seenDown = false;
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return Outcome.BACKOFF_ELAPSED;
      }
      boolean probeNow = probe.isPresent() && left > interval.toNanos();
      if (stopSignal.await(probeNow ? interval.toNanos() : left, TimeUnit.NANOSECONDS)) {
        return Outcome.STOPPED;
      }
      if (probeNow) {
        probes++;
        if (probe.get().answers(timeout)) {
          if (seenDown || lostByWaiting) {
            answered++;
            return Outcome.CAMERA_ANSWERS;
          }
        } else {
          seenDown = true;
        }
      }
    }
  }

  /** From any thread: a probe in flight is closed and no other starts. */
  void abort() {
    probe.ifPresent(RtspProbe::abort);
  }

  /** Probes sent so far. */
  long probes() {
    return probes;
  }

  /** Waits the probe cut short. */
  long answered() {
    return answered;
  }
}
