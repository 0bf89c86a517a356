package io.homenvr.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.pipeline.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by age, bytes, free space and free inodes, on a simulated disk and clock. */
class SnapshotStoreTest {
  private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");

  @TempDir Path data;

  private final MutableClock clock = new MutableClock(START);

  /** A 10 000-byte, 100-inode disk holding our snapshots plus whatever else the test says. */
  private long otherBytes;

  private long otherInodes;

  private final DiskSpace disk =
      path -> {
        long used = otherBytes;
        long files = otherInodes;
        try (Stream<Path> all = Files.walk(data)) {
          for (Path file : (Iterable<Path>) all::iterator) {
            files++;
            used += Files.isRegularFile(file) ? Files.size(file) : 0;
          }
        }
        return new DiskUsage(10_000, 10_000 - used, 100, 100 - files);
      };

  private SnapshotStore store(long maxBytes, double minFree, double minInodes) {
    return new SnapshotStore(
        data, new RetentionPolicy(Duration.ofDays(7), maxBytes, minFree, minInodes), clock, disk);
  }

  private static byte[] jpeg(int size) {
    return new byte[size];
  }

  private Path save(SnapshotStore store, String camera, int size) {
    Path file = store.save(camera, clock.instant(), jpeg(size)).orElseThrow();
    clock.advance(Duration.ofHours(1));
    return file;
  }

  @Test
  void deletesSnapshotsOlderThanTheRetention() {
    SnapshotStore store = store(Long.MAX_VALUE, 0, 0);
    Path old = save(store, "gate", 100);
    clock.advance(Duration.ofDays(7));
    Path recent = save(store, "garden", 100);
    store.sweep();
    assertThat(old).doesNotExist();
    assertThat(recent).exists();
    assertThat(store.status().deletedTotal()).isEqualTo(1);
    assertThat(store.status().snapshotFiles()).isEqualTo(1);
    assertThat(store.status().usedBytes()).isEqualTo(100);
  }

  @Test
  void keepsTheNewestWithinMaxBytes() {
    SnapshotStore store = store(250, 0, 0);
    Path first = save(store, "gate", 100);
    Path second = save(store, "gate", 100);
    Path third = save(store, "garden", 100);
    store.sweep();
    assertThat(first).doesNotExist();
    assertThat(second).exists();
    assertThat(third).exists();
  }

  @Test
  void deletesTheOldestWhenFreeSpaceRunsLowBeforeWriting() {
    SnapshotStore store = store(Long.MAX_VALUE, 20, 0);
    Path first = save(store, "gate", 1000);
    Path second = save(store, "gate", 1000);
    otherBytes = 6_500; // something else fills the disk: 1 500 bytes (15 %) left
    Path third = save(store, "gate", 500);
    assertThat(first).doesNotExist();
    assertThat(second).exists();
    assertThat(third).exists();
    assertThat(store.status().freePercent()).isGreaterThanOrEqualTo(15.0);
    assertThat(store.status().lastError()).isNull();
  }

  @Test
  void deletesTheOldestWhenInodesRunLow() {
    SnapshotStore store = store(Long.MAX_VALUE, 0, 10);
    Path first = save(store, "gate", 10);
    Path second = save(store, "gate", 10);
    otherInodes = 87; // data dir, alerts, gate and two files: 92 used, 8 % free
    store.sweep();
    assertThat(first).doesNotExist();
    assertThat(second).doesNotExist();
    assertThat(store.status().freeInodesPercent()).isEqualTo(10.0);
  }

  @Test
  void aSnapshotThatCannotBeWrittenIsReportedNotThrown() throws IOException {
    SnapshotStore store = store(Long.MAX_VALUE, 0, 0);
    Files.writeString(data.resolve("alerts"), "a file where the directory should be");
    assertThat(store.save("gate", clock.instant(), jpeg(10))).isEmpty();
    assertThat(store.status().lastError()).contains("cannot save snapshot");
  }
}
