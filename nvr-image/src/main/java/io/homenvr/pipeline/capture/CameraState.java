package io.homenvr.pipeline.capture;

/** The capture state machine of one camera, as reported in {@code /status}. */
public enum CameraState {
  CONNECTING,
  STREAMING,
  BACKOFF,
  STOPPED
}
