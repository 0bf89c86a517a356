package io.homenvr.pipeline.capture;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_network_init;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FAST_BILINEAR;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.recording.PacketSink;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One video session on the raw FFmpeg API, used only by the thread that created it.
 *
 * <p>The interrupt callback is installed before {@code avformat_open_input}, so every blocking
 * FFmpeg call (connect, DESCRIBE, socket reads) returns once the stop flag is set or no frame was
 * decoded before the deadline ({@link InterruptFlag}: a native flag a watchdog thread raises).
 * JavaCV's grabber cannot do either (it sets the callback too late and takes a global lock when
 * closing). After an interrupt the session is dead: the caller closes it and opens a new one.
 */
final class RtspReader implements AutoCloseable {
  /** AVERROR(EAGAIN) on Linux (x86_64 and arm64 alike): the decoder wants more input. */
  private static final int AVERROR_EAGAIN = -11;

  static {
    avformat_network_init();
    // FFmpeg's own log lines bypass our redaction and may quote the URL: errors come back as codes
    av_log_set_level(AV_LOG_FATAL);
  }

  private final BooleanSupplier stopRequested;
  private final Duration frameTimeout;
  private volatile long deadlineNanos;

  /**
   * Raised by the capture watchdog on stop or at the deadline; FFmpeg reads it natively. Once
   * raised, FFmpeg may still hand back queued packets, but the session is dead.
   */
  private InterruptFlag interrupt;

  private AVFormatContext format;
  private boolean opened;
  private AVCodecContext decoder;
  private AVPacket packet;
  private AVFrame frame;
  private int videoStream = -1;
  private int audioStream = -1;

  private final boolean decode;

  /** Where demuxed packets are also handed (the recorder), or null. */
  private final PacketSink sink;

  /**
   * Asked at each keyframe, with the last keyframe interval in ns (0: not known yet), whether to
   * decode the whole group of pictures it starts or the keyframe alone.
   */
  private LongPredicate decodeAllFrames = keyframeInterval -> true;

  private boolean decodingAll = true;
  private long lastKeyframeNanos;
  private long keyframeIntervalNanos;
  private long videoPackets;

  private String codecName;

  /**
   * Detection's grey frames: bilinear from the luma plane, 0.09 ms for 1080p → 640×360 against 0.40
   * ms averaging whole areas (measured), five times a second. The detector blurs each frame (5×5
   * Gaussian) before anything else, which takes out what area averaging would have.
   */
  private final FrameScaler greyScaler = new FrameScaler(AV_PIX_FMT_GRAY8, 1, SWS_FAST_BILINEAR);

  /** Snapshots are for people: averaged areas, no aliasing. */
  private final FrameScaler colourScaler = new FrameScaler(AV_PIX_FMT_BGR24, 3, SWS_AREA);

  RtspReader(BooleanSupplier stopRequested, Duration frameTimeout, PacketSink sink) {
    this(stopRequested, frameTimeout, sink, true);
  }

  /** With {@code decode} false, no decoder is opened: {@link #pump()} feeds the sink only. */
  RtspReader(
      BooleanSupplier stopRequested, Duration frameTimeout, PacketSink sink, boolean decode) {
    this.decode = decode;
    this.stopRequested = stopRequested;
    this.frameTimeout = frameTimeout;
    this.sink = sink;
  }

  /**
   * Decodes only keyframes for each group of pictures {@code decodeAllFrames} declines (eco mode).
   * Until the first keyframe every packet is decoded. Demuxing, and so recording, is unaffected.
   */
  void decodeAllFramesWhen(LongPredicate decodeAllFrames) {
    this.decodeAllFrames = decodeAllFrames;
  }

  /** Whether the current group of pictures is decoded whole. */
  boolean decodingAll() {
    return decodingAll;
  }

  /** Video packets demuxed in this session, decoded or not. */
  long videoPackets() {
    return videoPackets;
  }

  /** The time between the last two keyframes, in ns; 0 until two were seen. */
  long keyframeIntervalNanos() {
    return keyframeIntervalNanos;
  }

  /** Opens the session and its decoder; blocked calls give up at the deadline or on stop. */
  void open(String url, Transport transport, Duration openTimeout)
      throws CaptureException, CaptureStoppedException {
    deadlineNanos = System.nanoTime() + openTimeout.toNanos();
    format = avformat_alloc_context();
    interrupt = new InterruptFlag(this::stopRequested, () -> deadlineNanos);
    interrupt.install(format.interrupt_callback());
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "rtsp_transport", transport.name().toLowerCase(Locale.ROOT), 0);
    // socket timeout longer than the frame deadline: our callback decides, not a read error
    long socketTimeoutMicros = Math.max(openTimeout.toNanos(), frameTimeout.toNanos() * 3) / 1000;
    av_dict_set(options, "timeout", Long.toString(socketTimeoutMicros), 0);
    av_dict_set(options, "analyzeduration", "2000000", 0);
    av_dict_set(options, "probesize", "2000000", 0);
    int result = avformat_open_input(format, url, null, options);
    av_dict_free(options);
    if (result < 0) {
      format = null; // avformat_open_input frees a user-supplied context on failure
      throw failure("connect failed", result);
    }
    opened = true;
    check("reading stream info failed", avformat_find_stream_info(format, (AVDictionary) null));
    videoStream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (videoStream < 0) {
      throw new CaptureException("no video stream in " + format.nb_streams() + " streams");
    }
    var parameters = format.streams(videoStream).codecpar();
    codecName = avcodec_get_name(parameters.codec_id()).getString();
    packet = av_packet_alloc();
    if (!decode) {
      startSink();
      extendDeadline();
      return;
    }
    AVCodec codec = avcodec_find_decoder(parameters.codec_id());
    if (codec == null) {
      throw new CaptureException("no decoder for codec " + codecName);
    }
    decoder = avcodec_alloc_context3(codec);
    check("decoder setup failed", avcodec_parameters_to_context(decoder, parameters));
    // one decoding thread: a camera's stream needs well under a core, and every frame thread
    // would keep its own set of frames (≈ 3 MiB each at 1080p) and add a frame of latency
    decoder.thread_count(1);
    check("decoder open failed", avcodec_open2(decoder, codec, (AVDictionary) null));
    frame = av_frame_alloc();
    startSink();
    extendDeadline();
  }

  private void startSink() {
    if (sink != null) {
      audioStream =
          av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, videoStream, (AVCodec) null, 0);
      sink.sessionStarted(format, videoStream, audioStream);
    }
  }

  /**
   * Demux only (a reader opened with {@code decode} false): hands every packet to the sink until
   * the stream fails, freezes past the frame timeout, or stop is requested. Never returns normally.
   */
  void pump() throws CaptureException, CaptureStoppedException {
    while (true) {
      int read = av_read_frame(format, packet);
      if (read < 0 || interrupted()) {
        av_packet_unref(packet);
        throw failure("reading failed", read);
      }
      try {
        int stream = packet.stream_index();
        if (stream == videoStream) {
          extendDeadline();
        }
        if (stream == videoStream || stream == audioStream) {
          sink.packet(packet, stream == videoStream);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  String codecName() {
    return codecName;
  }

  /**
   * Blocks until the next video frame is decoded; afterwards {@link #width()}, {@link #height()}
   * and the copies ({@link #grey}, {@link #jpeg}, {@link #fullBgr()}) describe it.
   */
  void nextFrame() throws CaptureException, CaptureStoppedException {
    while (true) {
      int received = avcodec_receive_frame(decoder, frame);
      if (received == 0) {
        extendDeadline();
        return;
      }
      if (received != AVERROR_EAGAIN) {
        throw failure("decoding failed", received);
      }
      int read = av_read_frame(format, packet);
      if (read < 0 || interrupted()) {
        av_packet_unref(packet);
        throw failure("reading failed", read);
      }
      try {
        int stream = packet.stream_index();
        if (sink != null && (stream == videoStream || stream == audioStream)) {
          sink.packet(
              packet, stream == videoStream); // before decoding: recording never waits on it
        }
        if (stream == videoStream && decodes(packet)) {
          // a corrupt packet is the decoder's problem to conceal; only a stalled stream is fatal
          avcodec_send_packet(decoder, packet);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  /**
   * Whether this video packet goes to the decoder; the decision for a group of pictures is made at
   * its keyframe, so full decoding always starts with a frame whose references are all there.
   */
  private boolean decodes(AVPacket video) {
    videoPackets++;
    if ((video.flags() & AV_PKT_FLAG_KEY) != 0) {
      long now = System.nanoTime();
      if (lastKeyframeNanos != 0) {
        keyframeIntervalNanos = now - lastKeyframeNanos;
      }
      lastKeyframeNanos = now;
      decodingAll = decodeAllFrames.test(keyframeIntervalNanos);
      return true;
    }
    if (!decodingAll) {
      extendDeadline(); // frames come once a keyframe interval now: packets show the stream lives
    }
    return decodingAll;
  }

  int width() {
    return frame.width();
  }

  int height() {
    return frame.height();
  }

  /** The current frame scaled to grey at this size, in a fresh array (motion detection). */
  byte[] grey(int width, int height) {
    return greyScaler.scale(frame, width, height);
  }

  /** The current frame scaled to this size as a JPEG (previews), with no Java copy of pixels. */
  byte[] jpeg(int width, int height) {
    BytePointer bgr = colourScaler.scaleInPlace(frame, width, height);
    try (Mat image = new Mat(height, width, CV_8UC3, bgr)) {
      return Jpeg.encode(image);
    }
  }

  /**
   * The current frame in full resolution as packed BGR, in a fresh native buffer the caller closes.
   * Rare (motion events), so its conversion context is freed at once rather than kept.
   */
  BytePointer fullBgr() {
    try (FrameScaler full = new FrameScaler(AV_PIX_FMT_BGR24, 3, SWS_AREA)) {
      full.scaleInPlace(frame, frame.width(), frame.height());
      return full.detachBuffer();
    }
  }

  /** Frees every native resource; only the owning thread calls this, never while it reads. */
  @Override
  public void close() {
    greyScaler.close();
    colourScaler.close();
    if (frame != null) {
      av_frame_free(frame);
    }
    if (packet != null) {
      av_packet_free(packet);
    }
    if (decoder != null) {
      avcodec_free_context(decoder);
    }
    if (format != null) {
      avformat_close_input(format);
    }
    if (interrupt != null) {
      interrupt.close(); // after the session: FFmpeg reads the flag until then
    }
  }

  private void extendDeadline() {
    deadlineNanos = System.nanoTime() + frameTimeout.toNanos();
  }

  /** Asked by the watchdog thread, besides the deadline. */
  private boolean stopRequested() {
    return stopRequested.getAsBoolean();
  }

  private boolean interrupted() {
    return interrupt != null && interrupt.raised();
  }

  private void check(String what, int result) throws CaptureException, CaptureStoppedException {
    if (result < 0) {
      throw failure(what, result);
    }
  }

  /** Names the real cause: our stop flag or deadline when they fired, else FFmpeg's error. */
  private CaptureException failure(String what, int code) throws CaptureStoppedException {
    if (stopRequested.getAsBoolean()) {
      throw new CaptureStoppedException();
    }
    if (interrupted() || System.nanoTime() - deadlineNanos > 0) {
      return new CaptureException(
          opened
              ? String.format(
                  Locale.ROOT,
                  "no video frame for %.1f s (stream frozen or silent)",
                  frameTimeout.toMillis() / 1000.0)
              : "connect timed out",
          true);
    }
    if (code == AVERROR_EOF) {
      return new CaptureException(what + ": stream ended");
    }
    byte[] message = new byte[256];
    av_strerror(code, message, message.length);
    int length = 0;
    while (length < message.length && message[length] != 0) {
      length++;
    }
    return new CaptureException(what + ": " + new String(message, 0, length).trim());
  }
}
