package io.homenvr.pipeline.capture;

import java.time.Instant;

/**
 * A camera's latest picture for people (the status page, {@code /snapshot}): a JPEG at the detect
 * width, so that keeping one per camera costs tens of kilobytes, not a raw frame.
 */
public record Snapshot(String camera, byte[] jpeg, Instant capturedAt) {}
