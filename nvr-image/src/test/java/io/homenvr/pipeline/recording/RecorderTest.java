package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.capture.RecordingSource;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.testing.LogCapture;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording by stream copy from a real RTSP camera on loopback, checked by reading the files back
 * and by FFmpeg's own ffprobe (Debian's package): segments cut at keyframes, named by their UTC
 * start, contiguous, playable, audio copied when MP4 can hold it.
 */
class RecorderTest {
  private static final RecordConfig TWO_SECONDS =
      new RecordConfig(
          RecordMode.CONTINUOUS,
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofDays(7),
          Duration.ofDays(30),
          Optional.empty());

  private static RtspTestServer server;
  @TempDir Path data;

  @BeforeAll
  static void startServer() throws Exception {
    server = RtspTestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** Records a mount until {@code segments} segments are closed; returns the recorder, closed. */
  private Recorder record(String mount, int segments) throws Exception {
    RecordedCamera recorded =
        RecordedCamera.start(data.resolve("recordings"), server.url(mount), TWO_SECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> recorded.recorder.status().segmentsTotal() >= segments);
    } finally {
      assertThat(recorded.stop()).isTrue();
    }
    return recorded.recorder;
  }

  @Test
  void writesContiguousSegmentsCutAtKeyframesUnderTheirUtcStart() throws Exception {
    Instant before = Instant.now();
    Recorder recorder = record("/ball", 3);
    List<Segment> segments = recorder.index().segments();
    // three closed while running, and the one open at stop finished by close()
    assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      String expected =
          String.format(
              "cam/%s/%s/%s.mp4",
              s.start().toString().substring(0, 10),
              s.start().toString().substring(11, 13),
              s.start().toString().substring(14, 19).replace(':', '.'));
      assertThat(data.resolve("recordings").relativize(s.file()).toString())
          .startsWith(expected.substring(0, expected.length() - 4));
      assertThat(s.start()).isAfter(before.minusSeconds(1));
      if (i < segments.size() - 1) {
        // the test camera has a keyframe every 1.5 s: cut at the first one past 2 s
        assertThat(s.duration()).isBetween(Duration.ofMillis(2000), Duration.ofMillis(3100));
        // the next segment starts where this one ends (one frame at most apart)
        Duration between = Duration.between(s.end(), segments.get(i + 1).start()).abs();
        assertThat(between).isLessThanOrEqualTo(Duration.ofMillis(100));
      }
      assertThat(Mp4Files.duration(s.file()).toMillis())
          .isCloseTo(s.duration().toMillis(), org.assertj.core.data.Offset.offset(150L));
      assertThat(ffprobeErrors(s.file())).isEmpty();
    }
    assertThat(partFiles()).isEmpty();
    assertThat(recorder.status().gaps()).isEmpty();
    assertThat(recorder.status().state()).isIn(RecordingState.RECORDING, RecordingState.WAITING);
  }

  @Test
  void copiesAacAudio() throws Exception {
    Recorder recorder = record("/ball-aac", 2);
    Segment first = recorder.index().segments().get(0);
    assertThat(ffprobe(first.file(), "stream=codec_name")).contains("h264", "aac");
    assertThat(ffprobeErrors(first.file())).isEmpty();
  }

  @Test
  void dropsAudioMp4CannotCarryWithOneWarningAndStillRecordsVideo() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      Recorder recorder = record("/ball-alaw", 2);
      Segment first = recorder.index().segments().get(0);
      assertThat(ffprobe(first.file(), "stream=codec_name")).contains("h264").doesNotContain("pcm");
      assertThat(logs.text().lines().filter(m -> m.contains("cannot go into MP4")))
          .hasSize(1)
          .allMatch(m -> m.contains("pcm_alaw"));
    }
  }

  @Test
  void recordsTheRecordUrlWithADemuxOnlyReaderWhileDetectionReadsTheUrl() throws Exception {
    RecordConfig main =
        new RecordConfig(
            RecordMode.CONTINUOUS,
            Duration.ofSeconds(2),
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofDays(7),
            Duration.ofDays(30),
            Optional.of(server.url("/ball-aac")));
    CameraConfig config =
        new CameraConfig(
            "cam",
            server.url("/still"),
            Transport.TCP,
            Optional.empty(),
            Optional.empty(),
            new DetectConfig(5, 160, 0.5, DecodeMode.FULL, DetectConfig.DEFAULT_ECO_QUIET),
            main);
    RecordingIndex index = new RecordingIndex(data.resolve("recordings"), "cam");
    index.load();
    Recorder recorder = new Recorder("cam", main, index, Clock.systemUTC(), () -> {});
    RecordingSource source = new RecordingSource(config, CaptureTimings.DEFAULTS, recorder);
    CameraStream detection = new CameraStream(config, Clock.systemUTC(), CaptureTimings.DEFAULTS);
    recorder.start();
    source.start();
    detection.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> recorder.status().segmentsTotal() >= 2);
      assertThat(detection.status().framesTotal()).isPositive();
    } finally {
      assertThat(source.stop(Duration.ofSeconds(5))).isTrue();
      assertThat(detection.stop(Duration.ofSeconds(5))).isTrue();
      recorder.close();
    }
    // the recording holds the record stream (the one with sound), not the detect stream
    assertThat(ffprobe(index.segments().get(0).file(), "stream=codec_name")).contains("aac");
    assertThat(ffprobeErrors(index.segments().get(0).file())).isEmpty();
  }

  @Test
  void anIndexRebuiltFromTheFilesMatchesTheOneWrittenWhileRecording() throws Exception {
    Recorder recorder = record("/ball", 2);
    List<Segment> written = recorder.index().segments();
    Path recordings = data.resolve("recordings");
    try (Stream<Path> indexes = Files.walk(recordings)) {
      for (Path index : indexes.filter(p -> p.endsWith(RecordingIndex.INDEX)).toList()) {
        Files.delete(index);
      }
    }
    RecordingIndex rebuilt = new RecordingIndex(recordings, "cam");
    rebuilt.load();
    assertThat(rebuilt.segments()).hasSameSizeAs(written);
    for (int i = 0; i < written.size(); i++) {
      assertThat(rebuilt.segments().get(i).file()).isEqualTo(written.get(i).file());
      assertThat(rebuilt.segments().get(i).duration().toMillis())
          .isCloseTo(
              written.get(i).duration().toMillis(), org.assertj.core.data.Offset.offset(150L));
    }
    // a lying entry (its file deleted behind the index's back) is dropped on load
    Files.delete(written.get(0).file());
    RecordingIndex again = new RecordingIndex(recordings, "cam");
    again.load();
    assertThat(again.segments()).hasSize(written.size() - 1);
  }

  @Test
  void aSegmentLeftOpenByACrashIsFinalisedFromWhatReachedTheDisk() throws Exception {
    Path recordings = data.resolve("recordings");
    Path crashCopy = data.resolve("crash");
    try (RecordedCamera recorded =
        RecordedCamera.start(recordings, server.url("/ball"), TWO_SECONDS)) {
      Recorder recorder = recorded.recorder;
      await().atMost(Duration.ofSeconds(30)).until(() -> recorder.status().segmentsTotal() >= 1);
      // what a SIGKILL leaves: the open segment as it is on disk at this instant, unfinished
      // the open segment holds at least one whole fragment (one per keyframe, every 1.5 s)
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> partFiles().stream().anyMatch(p -> sizeOf(p) > 4_000));
      copyTree(recordings, crashCopy);
    }
    List<Path> parts = partFilesUnder(crashCopy);
    assertThat(parts).hasSize(1);
    RecordingIndex recovered = new RecordingIndex(crashCopy, "cam");
    recovered.load();
    assertThat(partFilesUnder(crashCopy)).isEmpty();
    Segment salvaged = recovered.newest();
    assertThat(salvaged.duration()).isPositive();
    assertThat(ffprobeErrors(salvaged.file())).isEmpty();
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private List<Path> partFiles() throws IOException {
    return partFilesUnder(data.resolve("recordings"));
  }

  private static List<Path> partFilesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(RecordingIndex.PART_SUFFIX)).toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /** What ffprobe says is wrong with a file (empty: nothing). */
  static String ffprobeErrors(Path file) throws Exception {
    return run(
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
            file.toString())
        .lines()
        .filter(line -> !line.matches("[0-9.]+"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  static String ffprobe(Path file, String entries) throws Exception {
    return run(
        "ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0", file.toString());
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
