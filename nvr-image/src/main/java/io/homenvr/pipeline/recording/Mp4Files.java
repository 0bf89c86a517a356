package io.homenvr.pipeline.recording;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Reading the project's own MP4 files back by stream copy: a segment's duration (to rebuild the
 * index), a leftover segment finalised after a crash, and any time range of a camera as one file.
 */
final class Mp4Files {
  static final AVRational MICROSECONDS = new AVRational().num(1).den(1_000_000);

  private Mp4Files() {}

  /** What a copy produced. */
  record Copied(long videoPackets, Duration duration) {}

  /** Duration of the video in {@code file}, read from its packets; zero when none is readable. */
  static Duration duration(Path file) throws RecordingException {
    try (Reader reader = Reader.open(file)) {
      long first = Long.MIN_VALUE;
      long last = Long.MIN_VALUE;
      long lastDuration = 0;
      AVPacket packet = reader.packet;
      while (av_read_frame(reader.format, packet) >= 0) {
        try {
          if (packet.stream_index() == reader.video) {
            long ts = timestamp(packet);
            if (ts != AV_NOPTS_VALUE) {
              first = first == Long.MIN_VALUE ? ts : Math.min(first, ts);
              last = Math.max(last, ts);
              lastDuration = packet.duration();
            }
          }
        } finally {
          av_packet_unref(packet);
        }
      }
      if (first == Long.MIN_VALUE) {
        return Duration.ZERO;
      }
      return reader.toDuration(last - first + lastDuration);
    }
  }

  /**
   * Copies what is readable of a (possibly truncated) {@code source} into {@code target}; the
   * target is deleted when no video packet could be read.
   */
  static Copied salvage(Path source, Path target) throws RecordingException {
    try (Reader reader = Reader.open(source)) {
      Range everything = new Range(Instant.EPOCH, Instant.MAX);
      return copy(List.of(new Input(reader, Instant.EPOCH)), everything, target, false);
    }
  }

  /** A time range; the clip's time zero is the first keyframe at or after {@code from}. */
  record Range(Instant from, Instant to) {}

  private record Input(Reader reader, Instant start) {}

  /**
   * Writes the part of {@code segments} (in time order, from one camera) between {@code from} and
   * {@code to} to {@code target} as one faststart MP4, by stream copy. The clip starts at the last
   * keyframe at or before {@code from} (a copy cannot start between keyframes).
   */
  static Copied clip(List<Segment> segments, Instant from, Instant to, Path target)
      throws RecordingException {
    Instant start = lastKeyframeAtOrBefore(segments.get(0), from);
    java.util.ArrayList<Input> inputs = new java.util.ArrayList<>();
    try {
      for (Segment segment : segments) {
        inputs.add(new Input(Reader.open(segment.file()), segment.start()));
      }
      return copy(inputs, new Range(start, to), target, true);
    } finally {
      inputs.forEach(input -> input.reader().close());
    }
  }

  private static Copied copy(List<Input> inputs, Range range, Path target, boolean faststart)
      throws RecordingException {
    Reader first = inputs.get(0).reader();
    Mp4Output output =
        Mp4Output.create(
            target,
            faststart ? Mp4Output.Flavour.FASTSTART : Mp4Output.Flavour.FRAGMENTED,
            first.videoStream().codecpar(),
            first.videoStream().time_base(),
            first.audio >= 0 ? first.format.streams(first.audio).codecpar() : null,
            first.audio >= 0 ? first.format.streams(first.audio).time_base() : null);
    long videoPackets = 0;
    long clipStartMicros = Long.MIN_VALUE;
    long lastVideoMicros = Long.MIN_VALUE;
    long lastVideoDurationMicros = 0;
    boolean ended = false;
    try {
      for (Input input : inputs) {
        Reader reader = input.reader();
        if (!reader.sameVideoAs(first)) {
          break; // a new resolution or codec cannot continue this file
        }
        long fileStartMicros = micros(input.start());
        long fileFirstTs = Long.MIN_VALUE;
        AVPacket packet = reader.packet;
        while (!ended && av_read_frame(reader.format, packet) >= 0) {
          try {
            boolean video = packet.stream_index() == reader.video;
            if (!video && (packet.stream_index() != reader.audio || !output.hasAudio())) {
              continue;
            }
            long ts = timestamp(packet);
            if (ts == AV_NOPTS_VALUE) {
              continue;
            }
            AVRational base = reader.format.streams(packet.stream_index()).time_base();
            if (video && fileFirstTs == Long.MIN_VALUE) {
              fileFirstTs = Reader.rescaleToMicros(ts, base);
            }
            if (fileFirstTs == Long.MIN_VALUE) {
              continue; // audio before the file's first video packet
            }
            long wallMicros = fileStartMicros + Reader.rescaleToMicros(ts, base) - fileFirstTs;
            if (video && wallMicros > micros(range.to())) {
              ended = true;
              continue;
            }
            if (clipStartMicros == Long.MIN_VALUE) {
              boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
              // start at the last keyframe at or before `from`: remember keyframes until then
              if (!video || !key) {
                continue;
              }
              if (wallMicros < micros(range.from())) {
                continue;
              }
              clipStartMicros = wallMicros;
            }
            long relativeMicros = wallMicros - clipStartMicros;
            if (relativeMicros < 0) {
              continue;
            }
            long relative = Reader.rescaleFromMicros(relativeMicros, base);
            long shift = relative - ts;
            packet.pts(packet.pts() == AV_NOPTS_VALUE ? relative : packet.pts() + shift);
            packet.dts(packet.dts() == AV_NOPTS_VALUE ? relative : packet.dts() + shift);
            packet.pos(-1);
            if (video) {
              videoPackets++;
              lastVideoMicros = wallMicros;
              lastVideoDurationMicros = Reader.rescaleToMicros(packet.duration(), base);
            }
            output.write(packet, video);
          } finally {
            av_packet_unref(packet);
          }
        }
        if (ended) {
          break;
        }
      }
      if (videoPackets == 0) {
        output.abandon();
        return new Copied(0, Duration.ZERO);
      }
      output.finish();
      return new Copied(
          videoPackets,
          Duration.ofNanos((lastVideoMicros - clipStartMicros + lastVideoDurationMicros) * 1000));
    } catch (RecordingException | RuntimeException e) {
      output.abandon();
      throw e;
    }
  }

  /** The wall-clock time of the last keyframe at or before {@code from} in {@code segment}. */
  private static Instant lastKeyframeAtOrBefore(Segment segment, Instant from)
      throws RecordingException {
    try (Reader reader = Reader.open(segment.file())) {
      long first = Long.MIN_VALUE;
      long best = Long.MIN_VALUE;
      AVPacket packet = reader.packet;
      AVRational base = reader.videoStream().time_base();
      while (av_read_frame(reader.format, packet) >= 0) {
        try {
          long ts = timestamp(packet);
          if (packet.stream_index() != reader.video || ts == AV_NOPTS_VALUE) {
            continue;
          }
          long at = Reader.rescaleToMicros(ts, base);
          first = first == Long.MIN_VALUE ? at : first;
          long wall = micros(segment.start()) + at - first;
          if (wall > micros(from)) {
            break;
          }
          if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
            best = wall;
          }
        } finally {
          av_packet_unref(packet);
        }
      }
      return best == Long.MIN_VALUE
          ? segment.start()
          : Instant.ofEpochSecond(best / 1_000_000L, (best % 1_000_000L) * 1000);
    }
  }

  private static long timestamp(AVPacket packet) {
    return packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
  }

  static long micros(Instant instant) {
    if (instant.equals(Instant.MAX)) {
      return Long.MAX_VALUE / 2;
    }
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
  }

  /** An MP4 opened for reading, with the wall-clock times of its video keyframes. */
  private static final class Reader implements AutoCloseable {
    final AVFormatContext format;
    final int video;
    final int audio;
    final AVPacket packet = av_packet_alloc();

    private Reader(AVFormatContext format, int video, int audio) {
      this.format = format;
      this.video = video;
      this.audio = audio;
    }

    static Reader open(Path file) throws RecordingException {
      if (!Files.isRegularFile(file)) {
        throw new RecordingException(RecordingException.Kind.FAILED, file + " is missing");
      }
      AVFormatContext format = new AVFormatContext(null);
      int result = avformat_open_input(format, file.toString(), null, (AVDictionary) null);
      if (result < 0) {
        throw RecordingException.of("open " + file.getFileName(), result);
      }
      result = avformat_find_stream_info(format, (AVDictionary) null);
      int video =
          result < 0
              ? -1
              : av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (video < 0) {
        avformat_close_input(format);
        throw new RecordingException(
            RecordingException.Kind.FAILED, file.getFileName() + " has no readable video");
      }
      int audio = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, video, (AVCodec) null, 0);
      return new Reader(format, video, Math.max(audio, -1));
    }

    AVStream videoStream() {
      return format.streams(video);
    }

    boolean sameVideoAs(Reader other) {
      var a = videoStream().codecpar();
      var b = other.videoStream().codecpar();
      return a.codec_id() == b.codec_id() && a.width() == b.width() && a.height() == b.height();
    }

    Duration toDuration(long ticks) {
      return Duration.ofNanos(rescaleToMicros(ticks, videoStream().time_base()) * 1000);
    }

    static long rescaleToMicros(long ticks, AVRational base) {
      return av_rescale_q(ticks, base, MICROSECONDS);
    }

    static long rescaleFromMicros(long micros, AVRational base) {
      return av_rescale_q(micros, MICROSECONDS, base);
    }

    @Override
    public void close() {
      av_packet_free(packet);
      avformat_close_input(format);
    }
  }
}
