package io.homenvr.pipeline.capture;

/** The camera was asked to stop while its reader was blocked in FFmpeg. */
final class CaptureStoppedException extends Exception {
  CaptureStoppedException() {
    super("stopped", null, false, false);
  }
}
