package io.homenvr.pipeline.capture;

/** A session that cannot go on (refused, stalled, ended); the camera reconnects with a new one. */
final class CaptureException extends Exception {
  private final boolean deadlinePassed;

  CaptureException(String message) {
    this(message, false);
  }

  /** {@code deadlinePassed}: lost by waiting (no video, a connect that never finished). */
  CaptureException(String message, boolean deadlinePassed) {
    super(message);
    this.deadlinePassed = deadlinePassed;
  }

  boolean deadlinePassed() {
    return deadlinePassed;
  }
}
