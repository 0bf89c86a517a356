package io.homenvr.pipeline.vision;

import java.time.Instant;

/** The vision stage for {@code /status}; {@code api} and {@code breaker} null when unconfigured. */
public record VisionStatus(
    boolean configured,
    String api,
    String mode,
    boolean reachable,
    String breaker,
    Long lastLatencyMs,
    String lastError,
    Instant lastSuccessAt,
    long requestsTotal,
    long failuresTotal,
    long fallbacksTotal,
    int queueDepth,
    int inFlight,
    long dropped) {}
