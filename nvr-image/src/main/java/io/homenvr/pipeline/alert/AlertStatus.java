package io.homenvr.pipeline.alert;

import java.time.Instant;

/** Alert delivery for {@code /status}. */
public record AlertStatus(
    boolean telegramConfigured,
    long sent,
    long failed,
    int pending,
    long dropped,
    Instant lastSentAt,
    String lastError) {}
