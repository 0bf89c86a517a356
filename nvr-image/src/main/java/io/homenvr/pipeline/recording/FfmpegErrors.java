package io.homenvr.pipeline.recording;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** FFmpeg's error codes as the text it would print. */
final class FfmpegErrors {
  private FfmpegErrors() {}

  static String describe(int code) {
    byte[] message = new byte[256];
    av_strerror(code, message, message.length);
    int length = 0;
    while (length < message.length && message[length] != 0) {
      length++;
    }
    return new String(message, 0, length).trim() + " (" + code + ")";
  }
}
