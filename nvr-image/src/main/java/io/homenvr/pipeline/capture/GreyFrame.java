package io.homenvr.pipeline.capture;

import java.time.Instant;

/**
 * A decoded frame scaled down to the camera's detect width, grey, for motion detection: its own
 * copy of the pixels (1 byte per pixel, no padding), never a view of FFmpeg's buffers.
 *
 * @param sourceWidth the decoded frame's width, to map detections back to full resolution
 */
public record GreyFrame(
    String camera,
    byte[] grey,
    int width,
    int height,
    int sourceWidth,
    int sourceHeight,
    Instant capturedAt,
    long sequence) {}
