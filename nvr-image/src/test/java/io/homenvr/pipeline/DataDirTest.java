package io.homenvr.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homenvr.pipeline.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unwritable data directory fails the pipeline at start, in one line naming the field. */
class DataDirTest {
  @TempDir Path dir;

  @Test
  void aDataDirThatCannotBeWrittenFailsAtStartNamingTheFieldAndTheFix() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    assertThatThrownBy(() -> Main.requireWritable(file.resolve("data")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("storage.dataDir: " + file.resolve("data") + " is not writable")
        .hasMessageContaining("mount a writable volume there")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aWritableDataDirIsCreatedAndLeftClean() throws Exception {
    Path data = dir.resolve("data");
    assertThatCode(() -> Main.requireWritable(data)).doesNotThrowAnyException();
    try (var files = Files.list(data)) {
      org.assertj.core.api.Assertions.assertThat(files).isEmpty();
    }
  }
}
