package io.homenvr.pipeline.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each closed event (motion or alert, with its rolls) as one MP4 to a second volume (a NAS
 * claim), {@code <dir>/<camera>/<YYYY-MM-DD>/<HH>.<MM>.<SS>-<kind>.mp4} (UTC), and keeps that
 * volume to its own retention. Runs on the housekeeping thread, never on a recorder's: a missing,
 * full or hung second volume is reported in /status and the log and never blocks recording.
 * Idempotent: an event whose clip exists is not copied again, so a restart copies only what is
 * missing.
 */
public final class EventOffloader {
  private static final Logger log = LoggerFactory.getLogger(EventOffloader.class);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH.mm.ss").withZone(ZoneOffset.UTC);

  /** The state of the second volume, for /status. */
  public enum State {
    OK,
    /** The directory is absent or not writable (the claim is not mounted). */
    MISSING,
    /** No space or inodes left on it. */
    FULL,
    FAILED
  }

  /** What /status shows of the offload. */
  public record Status(
      String dir, State state, long clipsTotal, Instant lastClipAt, String lastError) {}

  private final List<Recorder> recorders;
  private final Path dir;
  private final Duration retain;
  private final Clock clock;
  private volatile State state = State.OK;
  private volatile long clipsTotal;
  private volatile Instant lastClipAt;
  private volatile String lastError;

  public EventOffloader(List<Recorder> recorders, Path dir, Duration retain, Clock clock) {
    this.recorders = List.copyOf(recorders);
    this.dir = dir;
    this.retain = retain;
    this.clock = clock;
  }

  public Status status() {
    return new Status(dir.toString(), state, clipsTotal, lastClipAt, lastError);
  }

  /** One pass: copy the closed events not yet copied, then apply the volume's retention. */
  public synchronized void run() {
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      report(State.MISSING, "offload directory " + dir + " is missing or not writable");
      return;
    }
    Instant now = clock.instant();
    try {
      for (Recorder recorder : recorders) {
        copyClosedEvents(recorder, now);
      }
      expire(now);
      if (state != State.OK) {
        log.info("offload to {} works again", dir);
      }
      state = State.OK;
      lastError = null;
    } catch (RecordingException e) {
      report(
          e.kind() == RecordingException.Kind.DISK_FULL ? State.FULL : State.FAILED,
          e.getMessage());
    } catch (IOException e) {
      RecordingException classified = RecordingException.of("offload", e);
      report(
          classified.kind() == RecordingException.Kind.DISK_FULL
              ? State.FULL
              : classified.kind() == RecordingException.Kind.READ_ONLY
                  ? State.MISSING
                  : State.FAILED,
          classified.getMessage());
    }
  }

  private void copyClosedEvents(Recorder recorder, Instant now)
      throws IOException, RecordingException {
    RecordingIndex index = recorder.index();
    Segment newest = index.newest();
    if (newest == null) {
      return;
    }
    Instant oldestKept = now.minus(retain);
    for (RecordedEvent event : index.events()) {
      // closed: its footage is all in closed segments, and no later motion can extend it
      Instant settled =
          now.minus(recorder.config().preRoll()).minus(RecordingRetention.EVENT_MARK_DELAY);
      if (!event.end().isBefore(newest.end())
          || !event.end().isBefore(settled)
          || event.end().isBefore(oldestKept)) {
        continue;
      }
      Path target =
          dir.resolve(index.camera())
              .resolve(DAY.format(event.start()))
              .resolve(TIME.format(event.start()) + "-" + event.kind() + ".mp4");
      if (Files.exists(target)) {
        continue;
      }
      List<Segment> segments = index.between(event.start(), event.end());
      if (segments.isEmpty()) {
        continue; // its footage is gone already (retention, or never recorded)
      }
      Files.createDirectories(target.getParent());
      Path part = target.resolveSibling("." + target.getFileName() + RecordingIndex.PART_SUFFIX);
      Mp4Files.Copied copied;
      try {
        copied = Mp4Files.clip(segments, event.start(), event.end(), part);
      } catch (RecordingException e) {
        Files.deleteIfExists(part);
        throw e;
      }
      if (copied.videoPackets() > 0) {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        clipsTotal++;
        lastClipAt = clock.instant();
        log.info("camera={} event {} copied to {}", index.camera(), event.start(), target);
      }
    }
  }

  /** Deletes clips older than the volume's retention (by the day in their path). */
  private void expire(Instant now) throws IOException {
    String oldestDay = DAY.format(now.minus(retain));
    try (Stream<Path> cameras = Files.list(dir)) {
      for (Path camera : cameras.filter(Files::isDirectory).toList()) {
        try (Stream<Path> days = Files.list(camera)) {
          for (Path day : days.filter(Files::isDirectory).toList()) {
            if (day.getFileName().toString().compareTo(oldestDay) < 0) {
              try (Stream<Path> files = Files.walk(day)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                  Files.deleteIfExists(file);
                }
              }
            }
          }
        }
      }
    }
  }

  private void report(State newState, String error) {
    if (newState != state || !java.util.Objects.equals(error, lastError)) {
      log.warn("offload to {} failed ({}): {}; recording goes on", dir, newState, error);
    }
    state = newState;
    lastError = error;
  }
}
