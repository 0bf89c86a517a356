package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed events copied as one MP4 each to a second volume, once; a missing volume reported while
 * recording goes on; the volume's own retention.
 */
class EventOffloaderTest {
  private static final RecordConfig TWO_SECONDS =
      new RecordConfig(
          RecordMode.CONTINUOUS,
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofDays(7),
          Duration.ofDays(30),
          Optional.empty());

  /** The offloader runs "a minute later": events are settled (no motion can extend them). */
  private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));

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

  @Test
  void aClosedEventIsCopiedOnceAsOnePlayableClipAndAMissingVolumeNeverStopsRecording()
      throws Exception {
    RecordedCamera recorded =
        RecordedCamera.start(data.resolve("recordings"), server.url("/ball"), TWO_SECONDS);
    Recorder recorder = recorded.recorder;
    RecordingIndex index = recorded.index;
    Path nas = data.resolve("nas");
    EventOffloader missing =
        new EventOffloader(
            List.of(recorder), data.resolve("not-mounted"), Duration.ofDays(90), LATER);
    EventOffloader offloader =
        new EventOffloader(List.of(recorder), nas, Duration.ofDays(90), LATER);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> recorder.status().segmentsTotal() >= 1);
      Segment first = index.segments().get(0);
      recorder.markEvent(first.start().plusMillis(1500), "alert");
      await().atMost(Duration.ofSeconds(30)).until(() -> recorder.status().segmentsTotal() >= 4);

      missing.run();
      assertThat(missing.status().state()).isEqualTo(EventOffloader.State.MISSING);
      assertThat(missing.status().lastError()).contains("not-mounted");
      long segments = recorder.status().segmentsTotal();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> recorder.status().segmentsTotal() > segments);

      Files.createDirectories(nas);
      offloader.run();
      offloader.run(); // idempotent
    } finally {
      recorded.stop();
    }
    assertThat(offloader.status().state()).isEqualTo(EventOffloader.State.OK);
    assertThat(offloader.status().clipsTotal()).isEqualTo(1);
    List<Path> clips;
    try (Stream<Path> files = Files.walk(nas)) {
      clips = files.filter(Files::isRegularFile).toList();
    }
    assertThat(clips).hasSize(1);
    assertThat(clips.get(0).getFileName().toString()).endsWith("-alert.mp4");
    assertThat(nas.relativize(clips.get(0)).toString()).startsWith("cam/");
    assertThat(RecorderTest.ffprobeErrors(clips.get(0))).isEmpty();
    double seconds =
        Double.parseDouble(RecorderTest.ffprobe(clips.get(0), "format=duration").trim());
    // the event is 2 s long (1 s rolls); the clip starts at the keyframe before it (≤ 1.5 s)
    assertThat(seconds).isBetween(1.5, 4.0);
  }

  @Test
  void clipsOlderThanTheVolumesRetentionAreDeleted() throws Exception {
    Path nas = data.resolve("nas");
    Path old = Files.createDirectories(nas.resolve("cam/2020-01-01"));
    Files.writeString(old.resolve("10.00.00-motion.mp4"), "x");
    Path recent =
        Files.createDirectories(
            nas.resolve("cam/" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
    Files.writeString(recent.resolve("10.00.00-motion.mp4"), "x");
    new EventOffloader(List.of(), nas, Duration.ofDays(90), Clock.systemUTC()).run();
    assertThat(old).doesNotExist();
    assertThat(recent.resolve("10.00.00-motion.mp4")).exists();
  }
}
