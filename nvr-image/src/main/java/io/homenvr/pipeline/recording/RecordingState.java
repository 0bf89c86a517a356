package io.homenvr.pipeline.recording;

/** What a camera's recorder is doing; the names are part of the /status contract. */
public enum RecordingState {
  /** Segments are being written. */
  RECORDING,
  /** No stream to record (connecting, or the camera is down): footage resumes with it. */
  WAITING,
  /** Packets arrive but the recorder has not taken any for a while (it is stuck). */
  STALLED,
  /** No space or inodes left even after retention made room; resumes when space returns. */
  DISK_FULL,
  /** The filesystem refuses writes. */
  READ_ONLY,
  /** Writing failed for another reason; retried at the next keyframe. */
  FAILED,
  /** Recording is off for this camera. */
  OFF
}
