package io.homenvr.pipeline.capture;

import java.time.Duration;

/**
 * Capped exponential backoff: initial, doubled per failure up to max, reset by a stable session.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  Duration nextDelay() {
    Duration delay = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return delay;
  }

  void reset() {
    next = initial;
  }
}
