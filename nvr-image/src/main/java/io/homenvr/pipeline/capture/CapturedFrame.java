package io.homenvr.pipeline.capture;

import java.time.Instant;

/**
 * A decoded frame in colour handed from a camera thread to others (full resolution for motion
 * events, detect width for previews): its own copy of the pixels (packed BGR, 3 bytes per pixel, no
 * padding), never a view of FFmpeg's buffers.
 */
public record CapturedFrame(
    String camera, byte[] bgr, int width, int height, Instant capturedAt, long sequence) {}
