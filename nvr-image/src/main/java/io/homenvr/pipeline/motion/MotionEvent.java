package io.homenvr.pipeline.motion;

import java.time.Instant;

/**
 * Motion worth a look: the crop around it (for the vision stage) and the whole frame with the
 * motion boxed (for the alert photo), both JPEG.
 */
public record MotionEvent(String camera, Instant at, byte[] cropJpeg, byte[] photoJpeg) {}
