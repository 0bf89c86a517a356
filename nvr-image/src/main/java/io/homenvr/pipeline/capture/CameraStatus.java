package io.homenvr.pipeline.capture;

import java.time.Instant;

/** A consistent-enough copy of one camera's counters for {@code /status} and the summary line. */
public record CameraStatus(
    String name,
    CameraState state,
    String url,
    Instant lastFrameAt,
    long framesTotal,
    double fps,
    long reconnects,
    String lastError,
    Instant lastErrorAt,
    Instant connectedAt,
    Integer width,
    Integer height,
    String codec) {}
