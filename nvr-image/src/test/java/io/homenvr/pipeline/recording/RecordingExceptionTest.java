package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.pipeline.recording.RecordingException.Kind;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/**
 * How a failed write is classified decides who is told: a full disk or a read-only volume is an
 * EXTERNAL problem (retention or a human), never a restart. (A live read-only volume cannot be made
 * here: remounting fails while the recorder holds a file open.)
 */
class RecordingExceptionTest {
  @Test
  void ffmpegErrorCodesAreClassifiedByErrno() {
    assertThat(RecordingException.of("write", -28).kind()).isEqualTo(Kind.DISK_FULL); // ENOSPC
    assertThat(RecordingException.of("write", -122).kind()).isEqualTo(Kind.DISK_FULL); // EDQUOT
    assertThat(RecordingException.of("write", -30).kind()).isEqualTo(Kind.READ_ONLY); // EROFS
    assertThat(RecordingException.of("write", -13).kind()).isEqualTo(Kind.READ_ONLY); // EACCES
    assertThat(RecordingException.of("write", -5).kind()).isEqualTo(Kind.FAILED); // EIO
    assertThat(RecordingException.of("write", -30).getMessage())
        .isEqualTo("write: Read-only file system (-30)");
  }

  @Test
  void javaIoFailuresAreClassifiedByTheirMessage() {
    assertThat(RecordingException.of("index", new IOException("No space left on device")).kind())
        .isEqualTo(Kind.DISK_FULL);
    assertThat(RecordingException.of("index", new IOException("Read-only file system")).kind())
        .isEqualTo(Kind.READ_ONLY);
    assertThat(RecordingException.of("index", new AccessDeniedException("/data")).kind())
        .isEqualTo(Kind.READ_ONLY);
  }
}
