package io.homenvr.pipeline.capture;

import java.time.Instant;

/**
 * A decoded frame handed from a camera thread to others: its own copy of the pixels (packed BGR, 3
 * bytes per pixel, no padding), never a view of FFmpeg's buffers.
 */
public record CapturedFrame(
    String camera, byte[] bgr, int width, int height, Instant capturedAt, long sequence) {}
