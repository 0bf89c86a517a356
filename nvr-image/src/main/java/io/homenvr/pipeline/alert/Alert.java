package io.homenvr.pipeline.alert;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A detection worth telling a human about.
 *
 * @param decidedBy the vision LLM, or the local person detector by design or standing in for it
 */
public record Alert(
    String camera, Instant at, String description, DecidedBy decidedBy, byte[] photoJpeg) {

  /** What the photo caption says: camera, local time, description, and who decided. */
  public String caption(ZoneId zone) {
    String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone).format(at);
    return camera + " · " + time + "\n" + description + decidedBy.captionSuffix();
  }
}
