package io.homenvr.pipeline.recording;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** One closed MP4 segment: where it is, what wall-clock time it covers, its size. */
public record Segment(Path file, Instant start, Duration duration, long bytes) {
  public Instant end() {
    return start.plus(duration);
  }

  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end().isAfter(from);
  }
}
