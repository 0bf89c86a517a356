package io.homenvr.pipeline.alert;

import java.time.Duration;
import java.util.Optional;

/** A failed Bot API call: whether to retry, and after how long Telegram asked us to wait. */
final class TelegramException extends Exception {
  private final boolean retryable;
  private final Optional<Duration> retryAfter;

  TelegramException(String message, boolean retryable, Optional<Duration> retryAfter) {
    super(message);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  boolean retryable() {
    return retryable;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
