package io.homenvr.pipeline.capture;

import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Scales and converts decoded frames to one packed pixel format in a reused native buffer, and
 * hands out private copies. One per output kind: {@code sws_getCachedContext} keeps its context
 * until the source or target size changes, so a steady stream allocates nothing per frame but the
 * copy. Used only by the thread that owns the decoder.
 */
final class FrameScaler implements AutoCloseable {
  private final int pixelFormat;
  private final int bytesPerPixel;
  private final int algorithm;
  private SwsContext context;
  private BytePointer buffer;
  // FFmpeg 8's sws_scale reads 4 plane pointers and strides even for packed formats
  private final PointerPointer<Pointer> srcData = new PointerPointer<>(4);
  private final IntPointer srcStride = new IntPointer(4);
  private final PointerPointer<Pointer> dstData = new PointerPointer<>(4);
  private final IntPointer dstStride = new IntPointer(4);

  /** {@code algorithm}: one of swscale's {@code SWS_*} scaling flags. */
  FrameScaler(int pixelFormat, int bytesPerPixel, int algorithm) {
    this.pixelFormat = pixelFormat;
    this.bytesPerPixel = bytesPerPixel;
    this.algorithm = algorithm;
  }

  /** The frame at {@code width}×{@code height}, packed, no row padding, in a fresh array. */
  byte[] scale(AVFrame frame, int width, int height) {
    BytePointer pixels = scaleInPlace(frame, width, height);
    byte[] copy = new byte[width * height * bytesPerPixel];
    pixels.get(copy, 0, copy.length);
    return copy;
  }

  /**
   * The frame at {@code width}×{@code height}, packed, no row padding, in this scaler's own buffer:
   * valid until its next call, for the owning thread only.
   */
  BytePointer scaleInPlace(AVFrame frame, int width, int height) {
    context =
        sws_getCachedContext(
            context,
            frame.width(),
            frame.height(),
            frame.format(),
            width,
            height,
            pixelFormat,
            algorithm,
            null,
            null,
            (DoublePointer) null);
    if (context == null) {
      throw new IllegalStateException(
          "no conversion from pixel format " + frame.format() + " to " + pixelFormat);
    }
    int size = width * height * bytesPerPixel;
    if (buffer == null || buffer.capacity() != size) {
      if (buffer != null) {
        buffer.close();
      }
      buffer = new BytePointer(size);
    }
    for (int plane = 0; plane < 4; plane++) {
      srcData.put(plane, frame.data(plane));
      srcStride.put(plane, frame.linesize(plane));
      dstData.put(plane, plane == 0 ? buffer : null);
      dstStride.put(plane, plane == 0 ? width * bytesPerPixel : 0);
    }
    sws_scale(context, srcData, srcStride, 0, frame.height(), dstData, dstStride);
    return buffer;
  }

  /** Hands this scaler's buffer to the caller, who closes it; the next call allocates anew. */
  BytePointer detachBuffer() {
    BytePointer detached = buffer;
    buffer = null;
    return detached;
  }

  @Override
  public void close() {
    if (context != null) {
      sws_freeContext(context);
      context = null;
    }
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
    srcData.close();
    srcStride.close();
    dstData.close();
    dstStride.close();
  }
}
