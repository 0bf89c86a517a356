package io.homenvr.pipeline.recording;

import java.time.Instant;

/** A time range worth keeping (motion or an alert, with its pre and post roll). */
public record RecordedEvent(Instant start, Instant end, String kind) {
  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }
}
