package io.homenvr.pipeline.capture;

import java.time.Duration;

/**
 * How long a camera may take to open, how long without a decoded frame makes a session dead, and
 * the reconnect backoff.
 *
 * @param stableSession a session that streamed this long resets the backoff to its start
 */
public record CaptureTimings(
    Duration openTimeout,
    Duration frameTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Duration stableSession) {

  /** 3 s without a frame marks a freeze well inside the 5 s bound, and 10 s is a slow camera. */
  public static final CaptureTimings DEFAULTS =
      new CaptureTimings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30));
}
