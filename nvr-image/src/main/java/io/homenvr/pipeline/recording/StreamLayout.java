package io.homenvr.pipeline.recording;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * The streams of one camera session as the muxer needs them: owned copies of the codec parameters
 * and time bases, so they outlive the session's demuxer. Audio is kept only when MP4 can carry it
 * (AAC, MP3); otherwise {@link #droppedAudioCodec} names what was left out.
 */
final class StreamLayout implements AutoCloseable {
  final AVCodecParameters video;
  final AVRational videoTimeBase;
  final AVCodecParameters audio;
  final AVRational audioTimeBase;
  final String droppedAudioCodec;
  final String videoCodec;

  private StreamLayout(
      AVCodecParameters video,
      AVRational videoTimeBase,
      AVCodecParameters audio,
      AVRational audioTimeBase,
      String droppedAudioCodec) {
    this.video = video;
    this.videoTimeBase = videoTimeBase;
    this.audio = audio;
    this.audioTimeBase = audioTimeBase;
    this.droppedAudioCodec = droppedAudioCodec;
    this.videoCodec = avcodec_get_name(video.codec_id()).getString();
  }

  static StreamLayout of(AVFormatContext format, int videoStream, int audioStream) {
    AVStream v = format.streams(videoStream);
    AVCodecParameters video = copy(v.codecpar());
    AVCodecParameters audio = null;
    AVRational audioTimeBase = null;
    String dropped = null;
    if (audioStream >= 0) {
      AVStream a = format.streams(audioStream);
      int codec = a.codecpar().codec_id();
      if (codec == AV_CODEC_ID_AAC || codec == AV_CODEC_ID_MP3) {
        audio = copy(a.codecpar());
        audioTimeBase = rational(a.time_base());
      } else {
        dropped = avcodec_get_name(codec).getString();
      }
    }
    return new StreamLayout(video, rational(v.time_base()), audio, audioTimeBase, dropped);
  }

  boolean hasAudio() {
    return audio != null;
  }

  int width() {
    return video.width();
  }

  int height() {
    return video.height();
  }

  private static AVCodecParameters copy(AVCodecParameters source) {
    AVCodecParameters copy = avcodec_parameters_alloc();
    if (avcodec_parameters_copy(copy, source) < 0) {
      avcodec_parameters_free(copy);
      throw new IllegalStateException("cannot copy codec parameters");
    }
    return copy;
  }

  static AVRational rational(AVRational source) {
    return new AVRational().num(source.num()).den(source.den());
  }

  @Override
  public void close() {
    avcodec_parameters_free(video);
    if (audio != null) {
      avcodec_parameters_free(audio);
    }
    videoTimeBase.close();
    if (audioTimeBase != null) {
      audioTimeBase.close();
    }
  }
}
