package io.homenvr.pipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert snapshots under {@code <dataDir>/alerts/<camera>/}, with retention by age, total bytes,
 * free space and free inodes. A full disk never fails the caller: the oldest snapshots go first,
 * and a snapshot that still cannot be written is reported and skipped.
 */
public final class SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final Path alertsDir;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final DiskSpace diskSpace;
  private volatile StorageStatus status;
  private long deletedTotal;
  private String lastError;

  public SnapshotStore(Path dataDir, RetentionPolicy policy, Clock clock, DiskSpace diskSpace) {
    this.dataDir = dataDir;
    this.alertsDir = dataDir.resolve("alerts");
    this.policy = policy;
    this.clock = clock;
    this.diskSpace = diskSpace;
    this.status = new StorageStatus(dataDir.toString(), 0, 0, 0, 0, 0, 100, null, null);
  }

  /** Saves a snapshot; empty when it could not be written even after freeing space. */
  public synchronized Optional<Path> save(String camera, Instant at, byte[] jpeg) {
    Path file = alertsDir.resolve(camera).resolve(FILE_TIME.format(at) + ".jpg");
    try {
      if (belowFreeSpaceLimits()) {
        sweep();
      }
      try {
        write(file, at, jpeg);
      } catch (IOException firstFailure) {
        // ENOSPC or a full inode table: make room once, then try again
        sweep();
        write(file, at, jpeg);
      }
      lastError = null;
      refreshStatus();
      return Optional.of(file);
    } catch (IOException | UncheckedIOException e) {
      lastError = "cannot save snapshot " + file.getFileName() + ": " + e;
      log.warn("camera={} {}", camera, lastError);
      refreshStatus();
      return Optional.empty();
    }
  }

  /** Applies the retention policy; never throws, failures are reported in the status. */
  public synchronized void sweep() {
    try {
      List<Snapshot> snapshots = list();
      Instant cutoff = clock.instant().minus(policy.maxAge());
      long total = snapshots.stream().mapToLong(Snapshot::size).sum();
      int next = 0;
      while (next < snapshots.size() && snapshots.get(next).modified().isBefore(cutoff)) {
        total -= delete(snapshots.get(next++), "older than " + policy.maxAge().toDays() + " d");
      }
      while (next < snapshots.size() && total > policy.maxBytes()) {
        total -= delete(snapshots.get(next++), "over " + policy.maxBytes() + " bytes");
      }
      while (next < snapshots.size() && belowFreeSpaceLimits()) {
        delete(snapshots.get(next++), "low free space or inodes");
      }
    } catch (IOException | UncheckedIOException e) {
      lastError = "retention failed: " + e;
      log.warn(lastError);
    }
    refreshStatus();
  }

  public StorageStatus status() {
    return status;
  }

  private void write(Path file, Instant at, byte[] jpeg) throws IOException {
    Files.createDirectories(file.getParent());
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try {
      Files.write(partial, jpeg);
      Files.setLastModifiedTime(partial, FileTime.from(at));
      try {
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private boolean belowFreeSpaceLimits() throws IOException {
    DiskUsage usage = diskSpace.usage(dataDir);
    Double inodes = usage.freeInodesPercent();
    return usage.freePercent() < policy.minFreePercent()
        || (inodes != null && inodes < policy.minFreeInodesPercent());
  }

  private long delete(Snapshot snapshot, String reason) throws IOException {
    try {
      Files.delete(snapshot.path());
    } catch (NoSuchFileException e) {
      return snapshot.size();
    }
    deletedTotal++;
    log.info("retention deleted {} ({})", dataDir.relativize(snapshot.path()), reason);
    return snapshot.size();
  }

  private List<Snapshot> list() throws IOException {
    if (!Files.isDirectory(alertsDir)) {
      return List.of();
    }
    List<Snapshot> snapshots = new ArrayList<>();
    try (Stream<Path> files = Files.walk(alertsDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jpg")) {
          snapshots.add(
              new Snapshot(file, Files.getLastModifiedTime(file).toInstant(), Files.size(file)));
        }
      }
    }
    snapshots.sort(Comparator.comparing(Snapshot::modified).thenComparing(Snapshot::path));
    return snapshots;
  }

  private void refreshStatus() {
    long used = 0;
    long files = 0;
    try {
      for (Snapshot snapshot : list()) {
        used += snapshot.size();
        files++;
      }
      DiskUsage usage = diskSpace.usage(Files.isDirectory(dataDir) ? dataDir : dataDir.getRoot());
      status =
          new StorageStatus(
              dataDir.toString(),
              used,
              files,
              deletedTotal,
              usage.freeBytes(),
              usage.totalBytes(),
              usage.freePercent(),
              usage.freeInodesPercent(),
              lastError);
    } catch (IOException | UncheckedIOException e) {
      lastError = "cannot read storage usage: " + e;
      status =
          new StorageStatus(
              dataDir.toString(), used, files, deletedTotal, 0, 0, 0, null, lastError);
    }
  }

  private record Snapshot(Path path, Instant modified, long size) {}
}
