package io.homenvr.pipeline.recording;

import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.config.PipelineConfig.StorageConfig;
import io.homenvr.pipeline.storage.DiskSpace;
import io.homenvr.pipeline.storage.DiskUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the recordings within their limits, run every minute and at once when a recorder finds the
 * disk full. Age first: a camera's continuous footage older than {@code retainDays}, its event
 * footage older than {@code eventRetainDays}, and in {@code events} mode footage no event can claim
 * any more. Then space: while recordings exceed their byte limit or the volume's free space or
 * inodes are below their minimum, the oldest continuous segment of any camera goes, and only when
 * none is left the oldest event segment. Open segments are never in the index, so never deleted.
 */
public final class RecordingRetention {
  private static final Logger log = LoggerFactory.getLogger(RecordingRetention.class);

  /** Time from motion to its event being marked (a detect tick and a full frame), with margin. */
  static final Duration EVENT_MARK_DELAY = Duration.ofSeconds(30);

  /** Without a configured limit, recordings may use this share of the volume. */
  static final double DEFAULT_VOLUME_SHARE = 0.9;

  private final List<Recorder> recorders;
  private final Path root;
  private final StorageConfig storage;
  private final DiskSpace disk;
  private final Clock clock;
  private volatile long deletedTotal;
  private volatile String lastError;

  public RecordingRetention(
      List<Recorder> recorders, Path root, StorageConfig storage, DiskSpace disk, Clock clock) {
    this.recorders = List.copyOf(recorders);
    this.root = root;
    this.storage = storage;
    this.disk = disk;
    this.clock = clock;
  }

  public long deletedTotal() {
    return deletedTotal;
  }

  public String lastError() {
    return lastError;
  }

  public long bytes() {
    return recorders.stream().mapToLong(r -> r.index().bytes()).sum();
  }

  /** One pass; never throws (a failed pass is logged and retried at the next). */
  public synchronized void sweep() {
    try {
      Instant now = clock.instant();
      int byAge = 0;
      for (Recorder recorder : recorders) {
        byAge += byAge(recorder, now);
      }
      int bySpace = bySpace();
      recorders.forEach(r -> r.index().compact());
      if (byAge + bySpace > 0) {
        log.info(
            "recordings retention: {} segment(s) past their age, {} deleted for space",
            byAge,
            bySpace);
      }
      lastError = null;
    } catch (IOException | RuntimeException e) {
      lastError = e.toString();
      log.warn("recordings retention failed: {}", e.toString());
    }
  }

  private int byAge(Recorder recorder, Instant now) {
    var config = recorder.config();
    RecordingIndex index = recorder.index();
    Instant continuousBefore = now.minus(config.retain());
    Instant eventBefore = now.minus(config.eventRetain());
    Instant unclaimableBefore = now.minus(config.preRoll()).minus(EVENT_MARK_DELAY);
    int deleted = 0;
    for (Segment segment : index.segments()) {
      boolean event = index.inEvent(segment);
      boolean expired =
          event
              ? segment.end().isBefore(eventBefore)
              : segment.end().isBefore(continuousBefore)
                  || (config.mode() == RecordMode.EVENTS
                      && segment.end().isBefore(unclaimableBefore));
      if (expired && index.delete(segment)) {
        deleted++;
      }
    }
    index.dropEventsBefore(eventBefore);
    deletedTotal += deleted;
    return deleted;
  }

  private int bySpace() throws IOException {
    int deleted = 0;
    DiskUsage measured = disk.usage(root);
    long freedBytes = 0;
    long freedInodes = 0;
    Iterator<Victim> victims = null; // ordered once per pass, only when something must go
    while (true) {
      // one measurement per pass; what this pass deleted is added to it
      DiskUsage usage =
          new DiskUsage(
              measured.totalBytes(),
              measured.freeBytes() + freedBytes,
              measured.totalInodes(),
              measured.totalInodes() < 0 ? -1 : measured.freeInodes() + freedInodes);
      long limit =
          storage.recordingsMaxBytes().orElse((long) (usage.totalBytes() * DEFAULT_VOLUME_SHARE));
      Double inodes = usage.freeInodesPercent();
      boolean over =
          bytes() > limit
              || usage.freePercent() < storage.minFreePercent()
              || (inodes != null && inodes < storage.minFreeInodesPercent());
      if (!over) {
        return deleted;
      }
      if (victims == null) {
        victims = victimsInOrder().iterator();
      }
      if (!victims.hasNext()) {
        return deleted; // nothing closed is left to delete: the recorders report the full disk
      }
      Victim victim = victims.next();
      if (victim.recorder().index().delete(victim.segment())) {
        deleted++;
        deletedTotal++;
        freedBytes += victim.segment().bytes();
        freedInodes++;
      }
    }
  }

  /** Every closed segment of every camera: continuous footage oldest first, then event footage. */
  private List<Victim> victimsInOrder() {
    List<Victim> continuous = new ArrayList<>();
    List<Victim> event = new ArrayList<>();
    for (Recorder recorder : recorders) {
      RecordingIndex index = recorder.index();
      for (Segment segment : index.segments()) {
        (index.inEvent(segment) ? event : continuous).add(new Victim(recorder, segment));
      }
    }
    Comparator<Victim> oldestFirst = Comparator.comparing(v -> v.segment().start());
    continuous.sort(oldestFirst);
    event.sort(oldestFirst);
    continuous.addAll(event);
    return continuous;
  }

  private record Victim(Recorder recorder, Segment segment) {}
}
