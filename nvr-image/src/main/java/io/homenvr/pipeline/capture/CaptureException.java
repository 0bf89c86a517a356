package io.homenvr.pipeline.capture;

/** A session that cannot go on (refused, stalled, ended); the camera reconnects with a new one. */
final class CaptureException extends Exception {
  CaptureException(String message) {
    super(message);
  }
}
