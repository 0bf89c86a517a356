package io.homenvr.pipeline.recording;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

/**
 * Where a camera's reader hands the packets it demuxes, on the reader's own thread, before any
 * decoding. Implementations never block and never keep the packet: they take their own reference.
 */
public interface PacketSink {
  /** A new session: its streams are described by {@code format} (read it now, it will be freed). */
  void sessionStarted(AVFormatContext format, int videoStream, int audioStream);

  /** One packet of the video or audio stream named in {@link #sessionStarted}. */
  void packet(AVPacket packet, boolean video);

  /**
   * The session is over: {@code cause} says why the camera froze or failed, and is null when the
   * pipeline stopped it (no gap is reported then: the next start reports the time it was down).
   */
  void sessionEnded(String cause);
}
