package io.homenvr.operator.escalation;

import java.time.Duration;

/** Spacing of restarts within one incident: the first is immediate, then it doubles. */
public final class Backoff {
  static final Duration CAP = Duration.ofMinutes(10);

  private Backoff() {}

  /** Extra wait before the n-th restart (n ≥ 1): backoffSeconds × (2^(n-1) − 1), at most 10 min. */
  public static Duration beforeRestart(int n, int backoffSeconds) {
    if (n <= 1 || backoffSeconds <= 0) {
      return Duration.ZERO;
    }
    long factor = n >= 32 ? Long.MAX_VALUE : (1L << (n - 1)) - 1;
    long seconds =
        factor > CAP.toSeconds() / backoffSeconds ? CAP.toSeconds() : factor * backoffSeconds;
    return Duration.ofSeconds(Math.min(seconds, CAP.toSeconds()));
  }
}
