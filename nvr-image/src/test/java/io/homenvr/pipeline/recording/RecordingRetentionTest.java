package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.config.PipelineConfig.StorageConfig;
import io.homenvr.pipeline.storage.DiskUsage;
import io.homenvr.pipeline.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which footage goes first, by age and for space, on real files with a stated free space. */
class RecordingRetentionTest {
  private static final long SEGMENT_BYTES = 1000;
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path root;
  private final MutableClock clock = new MutableClock(NOW);
  private final AtomicLong freeBytes = new AtomicLong(1_000_000);

  private static RecordConfig record(RecordMode mode) {
    return new RecordConfig(
        mode,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofDays(7),
        Duration.ofDays(30),
        Optional.empty());
  }

  private Recorder camera(String name, RecordMode mode) throws Exception {
    RecordingIndex index = new RecordingIndex(root, name);
    index.load();
    return new Recorder(name, record(mode), index, clock, () -> {});
  }

  /** A closed 10 s segment starting {@code ago} before now, its file holding SEGMENT_BYTES. */
  private Segment segment(Recorder recorder, Duration ago) throws Exception {
    Instant start = NOW.minus(ago);
    Path[] paths = recorder.index().pathsFor(start);
    Files.write(paths[1], new byte[(int) SEGMENT_BYTES]);
    Segment segment = new Segment(paths[1], start, Duration.ofSeconds(10), SEGMENT_BYTES);
    recorder.index().add(segment);
    return segment;
  }

  private RecordingRetention retention(List<Recorder> recorders, OptionalLong maxBytes) {
    StorageConfig storage =
        new StorageConfig(root, Duration.ofDays(7), 1 << 30, 10, 5, maxBytes, Optional.empty());
    return new RecordingRetention(
        recorders,
        root,
        storage,
        path -> new DiskUsage(1_000_000, freeBytes.get(), 1000, 900),
        clock);
  }

  @Test
  void continuousFootageGoesAfterRetainDaysEventFootageAfterEventRetainDays() throws Exception {
    Recorder gate = camera("gate", RecordMode.CONTINUOUS);
    Segment young = segment(gate, Duration.ofDays(6));
    Segment old = segment(gate, Duration.ofDays(8));
    Segment oldEvent = segment(gate, Duration.ofDays(20));
    Segment ancientEvent = segment(gate, Duration.ofDays(31));
    gate.index()
        .markEvent(oldEvent.start().plusSeconds(2), oldEvent.start().plusSeconds(4), "motion");
    gate.index()
        .markEvent(
            ancientEvent.start().plusSeconds(2), ancientEvent.start().plusSeconds(4), "motion");

    retention(List.of(gate), OptionalLong.empty()).sweep();

    assertThat(gate.index().segments()).containsExactly(oldEvent, young);
    assertThat(old.file()).doesNotExist();
    assertThat(ancientEvent.file()).doesNotExist();
    assertThat(young.file()).exists();
    // the index on disk agrees: a fresh load finds the same
    RecordingIndex reloaded = new RecordingIndex(root, "gate");
    reloaded.load();
    assertThat(reloaded.segments()).containsExactly(oldEvent, young);
  }

  @Test
  void touchingEventsMergeAndAnAlertNamesTheMergedEventAlsoAfterAReload() throws Exception {
    Recorder gate = camera("gate", RecordMode.CONTINUOUS);
    gate.markEvent(NOW.minusSeconds(60), "motion");
    gate.markEvent(NOW.minusSeconds(55), "alert");
    gate.markEvent(NOW.minusSeconds(52), "motion");
    gate.markEvent(NOW.minusSeconds(10), "motion");

    List<RecordedEvent> events = gate.index().events();
    assertThat(events).hasSize(2);
    assertThat(events.get(0))
        .isEqualTo(new RecordedEvent(NOW.minusSeconds(65), NOW.minusSeconds(47), "alert"));
    assertThat(events.get(1).kind()).isEqualTo("motion");
    RecordingIndex reloaded = new RecordingIndex(root, "gate");
    reloaded.load();
    assertThat(reloaded.events()).isEqualTo(events);
  }

  @Test
  void eventsModeKeepsOnlyWhatAnEventCanStillClaim() throws Exception {
    Recorder gate = camera("gate", RecordMode.EVENTS);
    Segment unclaimed = segment(gate, Duration.ofMinutes(5));
    Segment claimed = segment(gate, Duration.ofMinutes(3));
    Segment recent = segment(gate, Duration.ofSeconds(20)); // an event may still come for it
    gate.index()
        .markEvent(claimed.start().plusSeconds(1), claimed.start().plusSeconds(2), "motion");

    retention(List.of(gate), OptionalLong.empty()).sweep();

    assertThat(gate.index().segments()).containsExactly(claimed, recent);
  }

  @Test
  void aFullDiskTakesTheOldestContinuousFootageOfAnyCameraFirstAndEventFootageLast()
      throws Exception {
    Recorder gate = camera("gate", RecordMode.CONTINUOUS);
    Recorder garden = camera("garden", RecordMode.CONTINUOUS);
    Segment gateEvent = segment(gate, Duration.ofHours(5));
    gate.index().markEvent(gateEvent.start(), gateEvent.end(), "motion");
    Segment gardenOld = segment(garden, Duration.ofHours(4));
    Segment gateOld = segment(gate, Duration.ofHours(3));
    Segment gardenNew = segment(garden, Duration.ofHours(2));
    // 9.8 % free, 10 % wanted: two segments' worth (each 1000 bytes of 1 000 000) must go
    freeBytes.set(98_000);

    retention(List.of(gate, garden), OptionalLong.empty()).sweep();

    assertThat(gardenOld.file()).doesNotExist();
    assertThat(gateOld.file()).doesNotExist();
    assertThat(gateEvent.file()).exists();
    assertThat(gardenNew.file()).exists();
    assertThat(gate.index().segments()).containsExactly(gateEvent);
    assertThat(garden.index().segments()).containsExactly(gardenNew);
  }

  @Test
  void theByteLimitIsKeptAndEventFootageGoesWhenNothingElseIsLeft() throws Exception {
    Recorder gate = camera("gate", RecordMode.CONTINUOUS);
    Segment event = segment(gate, Duration.ofHours(3));
    gate.index().markEvent(event.start(), event.end(), "motion");
    Segment other = segment(gate, Duration.ofHours(2));
    Segment newest = segment(gate, Duration.ofHours(1));

    retention(List.of(gate), OptionalLong.of(1500)).sweep();

    // continuous footage goes first, even the newest, before any event footage
    assertThat(gate.index().segments()).containsExactly(event);
    assertThat(other.file()).doesNotExist();
    assertThat(newest.file()).doesNotExist();

    retention(List.of(gate), OptionalLong.of(500)).sweep();

    assertThat(gate.index().segments()).isEmpty();
    assertThat(event.file()).doesNotExist();
  }
}
