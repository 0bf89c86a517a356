package io.homenvr.pipeline.alert;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A detection worth telling a human about.
 *
 * @param verified false when the vision LLM was down and the local person detector decided
 */
public record Alert(
    String camera, Instant at, String description, boolean verified, byte[] photoJpeg) {

  /** What the photo caption says: camera, local time, description, and whether it is verified. */
  public String caption(ZoneId zone) {
    String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone).format(at);
    return camera
        + " · "
        + time
        + "\n"
        + description
        + (verified ? "" : "\n(unverified: vision LLM down)");
  }
}
