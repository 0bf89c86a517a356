package io.homenvr.pipeline.capture;

import java.time.Duration;

/**
 * How long a camera may take to open, how long without a decoded frame makes a session dead, and
 * the reconnect backoff.
 *
 * @param stableSession a session that streamed this long resets the backoff to its start
 * @param probeInterval during a backoff, how often the camera is probed ({@link RtspProbe})
 * @param probeTimeout how long a probe waits for the camera's answer
 */
public record CaptureTimings(
    Duration openTimeout,
    Duration frameTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Duration stableSession,
    Duration probeInterval,
    Duration probeTimeout) {

  /**
   * 3 s without a frame marks a freeze well inside the 5 s bound, and 10 s is a slow camera; a
   * probe a second (answered within one) brings a camera back within 2 s of its return, for one
   * connection a second while it is down.
   */
  public static final CaptureTimings DEFAULTS =
      new CaptureTimings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1));
}
