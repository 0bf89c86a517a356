package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a small tmpfs mounted for the test (the tests run as root; where mounting is
 * not allowed the test is skipped and says so). Recording stops cleanly, says why, and resumes by
 * itself when space returns; nothing crashes and no broken file is left.
 */
class DiskFullTest {
  private static final RecordConfig TWO_SECONDS =
      new RecordConfig(
          RecordMode.CONTINUOUS,
          Duration.ofSeconds(2),
          Duration.ZERO,
          Duration.ZERO,
          Duration.ofDays(7),
          Duration.ofDays(30),
          Optional.empty());

  @TempDir Path dir;
  private Path volume;

  @BeforeEach
  void mountSmallVolume() throws Exception {
    volume = dir.resolve("volume");
    Files.createDirectories(volume);
    int mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", volume.toString());
    assumeThat(mounted).as("mounting a tmpfs is allowed here (root with CAP_SYS_ADMIN)").isZero();
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", volume.toString());
  }

  @Test
  void aFullDiskStopsRecordingCleanlyAndRecordingResumesWhenSpaceReturns() throws Exception {
    try (RtspTestServer server = RtspTestServer.start()) {
      RecordedCamera recorded =
          RecordedCamera.start(volume.resolve("recordings"), server.url("/ball"), TWO_SECONDS);
      Recorder recorder = recorded.recorder;
      CameraStream camera = recorded.camera;
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.status().segmentsTotal() >= 1);
        Path ballast = volume.resolve("ballast");
        fill(ballast);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> recorder.status().state() == RecordingState.DISK_FULL);
        RecordingStatus full = recorder.status();
        assertThat(full.lastError()).contains("No space left on device");
        assertThat(full.gaps()).last().satisfies(g -> assertThat(g.end()).isNull());
        assertThat(camera.status().framesTotal()).as("capture goes on").isPositive();
        long framesWhileFull = camera.status().framesTotal();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> camera.status().framesTotal() > framesWhileFull + 10);

        Files.delete(ballast);
        long segments = recorder.status().segmentsTotal();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    recorder.status().state() == RecordingState.RECORDING
                        && recorder.status().segmentsTotal() > segments);
        Gap gap = recorder.status().gaps().get(recorder.status().gaps().size() - 1);
        assertThat(gap.end()).isNotNull();
        assertThat(gap.cause()).contains("No space left on device");
        assertThat(recorder.status().lastError()).isNull();
      } finally {
        recorded.stop();
      }
      for (Segment segment : recorded.index.segments()) {
        assertThat(RecorderTest.ffprobeErrors(segment.file())).isEmpty();
      }
    }
  }

  /** Fills the volume to the last byte. */
  private static void fill(Path ballast) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (RandomAccessFile file = new RandomAccessFile(ballast.toFile(), "rw")) {
      while (true) {
        try {
          file.write(block);
        } catch (IOException full) {
          break;
        }
      }
    }
  }

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }
}
