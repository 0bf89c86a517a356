package io.homenvr.pipeline.recording;

/** A segment could not be written; {@link #kind} says whether a restart could help. */
public final class RecordingException extends Exception {
  enum Kind {
    /** No space (or no inodes) left: retention must make room; restarting will not help. */
    DISK_FULL,
    /** The filesystem refuses writes (read-only, permission): a human must fix the volume. */
    READ_ONLY,
    /** Anything else (a muxer error, a stream MP4 cannot hold). */
    FAILED
  }

  /** AVERROR(ENOSPC), AVERROR(EDQUOT), AVERROR(EROFS), AVERROR(EACCES), AVERROR(EPERM) on Linux. */
  private static final int ENOSPC = -28;

  private static final int EDQUOT = -122;
  private static final int EROFS = -30;
  private static final int EACCES = -13;
  private static final int EPERM = -1;

  private final Kind kind;

  RecordingException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /** Classifies an FFmpeg error code. */
  static RecordingException of(String what, int code) {
    Kind kind =
        switch (code) {
          case ENOSPC, EDQUOT -> Kind.DISK_FULL;
          case EROFS, EACCES, EPERM -> Kind.READ_ONLY;
          default -> Kind.FAILED;
        };
    return new RecordingException(kind, what + ": " + FfmpegErrors.describe(code));
  }

  /** Classifies a Java I/O failure by its message (the JDK carries no errno). */
  static RecordingException of(String what, java.io.IOException e) {
    String text = String.valueOf(e.getMessage());
    Kind kind =
        text.contains("No space left") || text.contains("Disk quota")
            ? Kind.DISK_FULL
            : text.contains("Read-only file system")
                    || e instanceof java.nio.file.AccessDeniedException
                ? Kind.READ_ONLY
                : Kind.FAILED;
    return new RecordingException(kind, what + ": " + e);
  }
}
