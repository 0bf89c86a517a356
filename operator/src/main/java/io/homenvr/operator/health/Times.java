package io.homenvr.operator.health;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads the RFC 3339 timestamps of heartbeats, logs and status; a bad one is simply absent. */
public final class Times {
  private Times() {}

  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notUtc) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  public static String format(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
