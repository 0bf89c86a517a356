package io.homenvr.sandbox.system;

/**
 * The CameraMonitor thresholds a run uses.
 *
 * @param checkIntervalSeconds spec.health.checkIntervalSeconds
 * @param frameStaleSeconds spec.health.frameStaleSeconds
 * @param recoveryGraceSeconds spec.recovery.recoveryGraceSeconds
 * @param maxRestarts spec.recovery.maxRestarts
 */
public record Thresholds(
    int checkIntervalSeconds, int frameStaleSeconds, int recoveryGraceSeconds, int maxRestarts) {
  /** The API's defaults: what a user gets, and what the targets are measured with. */
  public static final Thresholds DEFAULTS = new Thresholds(10, 30, 60, 3);

  /**
   * Short ones that keep the end-to-end tests fast: checks every 2 s, stale after 6 s. The grace is
   * 15 s, not 8: a restarted pipeline JVM on a busy 2-core machine (operator restarting too) needs
   * more than 8 s to serve its first frames.
   */
  public static final Thresholds FAST = new Thresholds(2, 6, 15, 2);
}
