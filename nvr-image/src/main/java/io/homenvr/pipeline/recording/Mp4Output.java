package io.homenvr.pipeline.recording;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * One MP4 file written by stream copy, used by one thread. Segments are written <em>fragmented</em>
 * (a moof per keyframe): what reached the disk before a crash is readable, so a segment cut short
 * by SIGKILL can be finalised on the next start instead of being lost. Exports are written with
 * {@code faststart} (the index first), which browsers seek in best.
 */
final class Mp4Output implements AutoCloseable {
  /** The MP4 flavours this project writes. */
  enum Flavour {
    FRAGMENTED("frag_keyframe+empty_moov+default_base_moof"),
    FASTSTART("faststart");

    private final String movflags;

    Flavour(String movflags) {
      this.movflags = movflags;
    }
  }

  private static final int HVC1 = 'h' | ('v' << 8) | ('c' << 16) | ('1' << 24);

  private final Path file;
  private AVFormatContext context;
  private AVStream videoOut;
  private AVStream audioOut;
  private final AVRational videoIn;
  private final AVRational audioIn;
  private boolean headerWritten;
  private long bytes;

  private Mp4Output(Path file, AVRational videoIn, AVRational audioIn) {
    this.file = file;
    this.videoIn = videoIn;
    this.audioIn = audioIn;
  }

  /**
   * Creates {@code file} with one video stream (and audio when given): packets are written in the
   * time bases given here.
   */
  static Mp4Output create(
      Path file,
      Flavour flavour,
      AVCodecParameters video,
      AVRational videoTimeBase,
      AVCodecParameters audio,
      AVRational audioTimeBase)
      throws RecordingException {
    Mp4Output output = new Mp4Output(file, videoTimeBase, audioTimeBase);
    try {
      output.open(flavour, video, audio);
      return output;
    } catch (RecordingException | RuntimeException e) {
      output.abandon();
      throw e;
    }
  }

  private void open(Flavour flavour, AVCodecParameters video, AVCodecParameters audio)
      throws RecordingException {
    AVFormatContext created = new AVFormatContext(null);
    int result = avformat_alloc_output_context2(created, null, "mp4", file.toString());
    if (result < 0) {
      throw RecordingException.of("mp4 muxer", result);
    }
    context = created;
    videoOut = stream(video, videoIn);
    if (video.codec_id() == AV_CODEC_ID_HEVC) {
      videoOut.codecpar().codec_tag(HVC1); // hvc1, not hev1: what Safari and Chrome play
    }
    if (audio != null) {
      audioOut = stream(audio, audioIn);
    }
    AVIOContext io = new AVIOContext(null);
    result = avio_open(io, file.toString(), AVIO_FLAG_WRITE);
    if (result < 0) {
      throw RecordingException.of("create " + file.getFileName(), result);
    }
    context.pb(io);
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "movflags", flavour.movflags, 0);
    if (flavour == Flavour.FRAGMENTED) {
      // each fragment reaches the file (the page cache) as soon as it is complete, so a SIGKILL
      // loses at most the fragment being built; the muxer holds a fragment until its end, so
      // this costs no write per packet
      av_dict_set(options, "flush_packets", "1", 0);
    }
    result = avformat_write_header(context, options);
    av_dict_free(options);
    if (result < 0) {
      throw RecordingException.of("mp4 header", result);
    }
    headerWritten = true;
  }

  private AVStream stream(AVCodecParameters parameters, AVRational timeBase)
      throws RecordingException {
    AVStream stream = avformat_new_stream(context, null);
    if (stream == null) {
      throw new RecordingException(RecordingException.Kind.FAILED, "no memory for a stream");
    }
    int result = avcodec_parameters_copy(stream.codecpar(), parameters);
    if (result < 0) {
      throw RecordingException.of("stream parameters", result);
    }
    stream.codecpar().codec_tag(0);
    stream.time_base(timeBase);
    return stream;
  }

  /**
   * Writes a packet whose timestamps are in the input time base, already relative to the file's
   * start. The packet's data reference passes to the muxer (the packet is left blank).
   */
  void write(AVPacket packet, boolean video) throws RecordingException {
    AVStream out = video ? videoOut : audioOut;
    if (out == null) {
      return;
    }
    packet.stream_index(out.index());
    bytes += packet.size();
    av_packet_rescale_ts(packet, video ? videoIn : audioIn, out.time_base());
    int result = av_interleaved_write_frame(context, packet);
    if (result < 0) {
      throw RecordingException.of("write " + file.getFileName(), result);
    }
  }

  boolean hasAudio() {
    return audioOut != null;
  }

  /** Payload bytes written so far (an estimate of the file size). */
  long payloadBytes() {
    return bytes;
  }

  /** Writes the trailer and closes the file; it stays where it was created. */
  void finish() throws RecordingException {
    int result = headerWritten ? av_write_trailer(context) : 0;
    int closed = closeIo();
    free();
    if (result < 0) {
      throw RecordingException.of("finish " + file.getFileName(), result);
    }
    if (closed < 0) {
      throw RecordingException.of("close " + file.getFileName(), closed);
    }
  }

  /** Closes without a trailer and deletes the file. */
  void abandon() {
    closeIo();
    free();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // nothing more to do: the next start deletes or finalises what is left
    }
  }

  @Override
  public void close() {
    closeIo();
    free();
  }

  private int closeIo() {
    if (context != null && context.pb() != null) {
      AVIOContext io = context.pb();
      int result = avio_closep(io);
      context.pb(null);
      return result;
    }
    return 0;
  }

  private void free() {
    if (context != null) {
      avformat_free_context(context);
      context = null;
    }
  }
}
