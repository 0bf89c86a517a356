package io.homenvr.pipeline.capture;

import java.time.Instant;
import org.bytedeco.javacpp.BytePointer;

/**
 * A full-resolution colour frame handed from a camera thread to another: its own native copy of the
 * pixels (packed BGR, 3 bytes per pixel, no padding), never a view of FFmpeg's buffers. Native so
 * that a 6 MiB frame (1080p) never lands in the Java heap; whoever holds it closes it.
 */
public record CapturedFrame(
    String camera, BytePointer bgr, int width, int height, Instant capturedAt, long sequence)
    implements AutoCloseable {

  @Override
  public void close() {
    bgr.close();
  }
}
