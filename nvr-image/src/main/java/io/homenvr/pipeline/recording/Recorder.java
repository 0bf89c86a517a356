package io.homenvr.pipeline.recording;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_clone;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one camera by stream copy. The camera's reader thread hands it each demuxed packet (a new
 * reference, never a copy of the data, never decoded) through a bounded queue; the recorder's own
 * thread alone owns the muxer and cuts an MP4 segment at the first keyframe past {@code
 * segmentSeconds}. A slow or stuck disk therefore never slows capture or detection: when the queue
 * is full, packets are dropped until the next keyframe and the hole is reported as a gap.
 *
 * <p>Each segment is written as {@code .MM.SS.mp4.part} (fragmented MP4) and renamed when closed,
 * then listed in the index; a player never finds a file being written. Segment times come from the
 * stream's own timestamps, anchored to the wall clock once per session, so consecutive segments
 * meet exactly.
 */
public final class Recorder implements PacketSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);

  /** Packets waiting for the recorder (about 30 s of a 1080p15 camera with audio). */
  static final int QUEUE_PACKETS = 2048;

  /** And at most this many bytes of them, so a stuck disk costs a bounded amount of memory. */
  static final long QUEUE_BYTES = 8L * 1024 * 1024;

  /** After a failed write, recording is retried at the first keyframe after this long. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  /**
   * Packets waiting this long (and at least a segment's length) without the recorder taking one: it
   * is stuck, not slow.
   */
  static final Duration MIN_STALL = Duration.ofSeconds(5);

  /** A timestamp jump larger than this (or backwards) starts a new segment. */
  private static final Duration MAX_STEP = Duration.ofSeconds(10);

  private static final int MAX_GAPS = 20;

  private final String camera;
  private final RecordConfig config;
  private final RecordingIndex index;
  private final Clock clock;
  private final Runnable needSpace;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_PACKETS);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  // written by the camera thread only
  private boolean dropping;
  private boolean sessionOpen;

  // written by the recorder thread, read by anyone
  private volatile RecordingState state = RecordingState.WAITING;
  private volatile Instant lastSegmentAt;
  private volatile long segmentsTotal;
  private volatile double bytesPerSecond;
  private volatile String lastError;
  private volatile long lastTakeNanos = System.nanoTime();
  private final AtomicLong droppedPackets = new AtomicLong();
  private final Deque<Gap> gaps = new ArrayDeque<>();

  // the recorder thread's own
  private StreamLayout layout;
  private boolean warnedAudio;
  private Instant anchorWall;
  private long anchorTs;
  private Mp4Output writer;
  private Path writerPart;
  private Path writerFinal;
  private Instant segmentStart;
  private long segmentFirstTs;
  private long audioOrigin;
  private long lastAudioTs = Long.MIN_VALUE;
  private Packet pendingVideo;
  private long lastFrameTicks;
  private long lastVideoEnd;
  // the session's limits in its video time base, converted once per session, not per packet
  private long maxStepTicks;
  private long segmentTicks;
  private Instant segmentEnd;
  private long retryAfterNanos;

  public Recorder(
      String camera, RecordConfig config, RecordingIndex index, Clock clock, Runnable needSpace) {
    this.camera = camera;
    this.config = config;
    this.index = index;
    this.clock = clock;
    this.needSpace = needSpace;
    Segment newest = index.newest();
    if (newest != null) {
      segmentEnd = newest.end(); // lastSegmentAt stays null: nothing recorded by this process yet
      openGap(newest.end(), "the pipeline was not running");
    }
    this.thread = new Thread(this::run, "record-" + camera);
    this.thread.setDaemon(true);
  }

  public String camera() {
    return camera;
  }

  public RecordConfig config() {
    return config;
  }

  public RecordingIndex index() {
    return index;
  }

  public void start() {
    thread.start();
  }

  /** Marks motion or an alert at {@code at}: its footage (with pre and post roll) is kept. */
  public void markEvent(Instant at, String kind) {
    index.markEvent(at.minus(config.preRoll()), at.plus(config.postRoll()), kind);
  }

  // ---- the camera thread's side: never blocks ----------------------------------------------

  @Override
  public void sessionStarted(AVFormatContext format, int videoStream, int audioStream) {
    StreamLayout streams = StreamLayout.of(format, videoStream, audioStream);
    if (!offer(new Session(streams))) {
      streams.close();
      dropping = true;
    }
    sessionOpen = true;
  }

  @Override
  public void packet(AVPacket packet, boolean video) {
    boolean key = video && (packet.flags() & AV_PKT_FLAG_KEY) != 0;
    if (dropping) {
      if (!key || !offer(new Resync(droppedPackets.get()))) {
        droppedPackets.incrementAndGet();
        return;
      }
      dropping = false;
    }
    AVPacket reference = av_packet_clone(packet);
    if (reference == null) {
      droppedPackets.incrementAndGet();
      dropping = true;
      return;
    }
    long size = reference.size();
    if (queuedBytes.get() + size > QUEUE_BYTES
        || !offer(new Packet(reference, video, key, size, clock.instant()))) {
      av_packet_free(reference);
      droppedPackets.incrementAndGet();
      dropping = true;
      return;
    }
    queuedBytes.addAndGet(size);
  }

  @Override
  public void sessionEnded(String cause) {
    if (sessionOpen) {
      sessionOpen = false;
      // an end marker must not be lost: it closes the segment; wait briefly for room
      try {
        if (!queue.offer(new End(cause, clock.instant()), 1, TimeUnit.SECONDS)) {
          dropping = true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean offer(Item item) {
    return !closing && queue.offer(item);
  }

  // ---- status -------------------------------------------------------------------------------

  public RecordingStatus status() {
    RecordingState current = state;
    long waited = System.nanoTime() - lastTakeNanos;
    long stallAfter = Math.max(MIN_STALL.toNanos(), config.segment().toNanos());
    if (!queue.isEmpty() && waited > stallAfter) {
      current = RecordingState.STALLED;
    }
    List<Gap> copy;
    synchronized (gaps) {
      copy = List.copyOf(gaps);
    }
    return new RecordingStatus(
        config.mode(),
        config.mode() == RecordMode.OFF ? RecordingState.OFF : current,
        (int) config.segment().toSeconds(),
        lastSegmentAt,
        segmentsTotal,
        bytesPerSecond,
        droppedPackets.get(),
        lastError,
        copy);
  }

  // ---- the recorder thread ------------------------------------------------------------------

  private void run() {
    try {
      while (!closing || !queue.isEmpty()) {
        Item item = queue.poll(200, TimeUnit.MILLISECONDS);
        lastTakeNanos = System.nanoTime();
        if (item == null) {
          continue;
        }
        try {
          handle(item);
        } catch (RuntimeException e) {
          log.warn("camera={} recording error", camera, e);
          fail(new RecordingException(RecordingException.Kind.FAILED, e.toString()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      endSegment();
      drain();
      if (layout != null) {
        layout.close();
        layout = null;
      }
    }
  }

  private void handle(Item item) {
    if (item instanceof Session session) {
      endSegment();
      if (layout != null) {
        layout.close();
      }
      layout = session.layout();
      anchorWall = null;
      maxStepTicks = ticks(MAX_STEP);
      segmentTicks = ticks(config.segment());
      if (layout.droppedAudioCodec != null && !warnedAudio) {
        warnedAudio = true;
        log.warn(
            "camera={} audio {} cannot go into MP4: recording video only",
            camera,
            layout.droppedAudioCodec);
      }
    } else if (item instanceof Packet packet) {
      queuedBytes.addAndGet(-packet.size());
      if (packet.video()) {
        video(packet);
      } else {
        audio(packet);
      }
    } else if (item instanceof End end) {
      endSegment();
      anchorWall = null;
      if (state == RecordingState.RECORDING) {
        state = RecordingState.WAITING;
      }
      if (end.cause() != null) {
        openGap(segmentEnd == null ? end.at() : segmentEnd, end.cause());
      }
    } else if (item instanceof Resync resync) {
      endSegment();
      anchorWall = null; // re-anchored at the next keyframe
      openGap(
          segmentEnd == null ? clock.instant() : segmentEnd,
          "recorder fell behind: " + resync.dropped() + " packets dropped");
    }
  }

  private void video(Packet packet) {
    long ts = timestamp(packet.packet());
    if (layout == null || ts == AV_NOPTS_VALUE) {
      packet.free();
      return;
    }
    if (writer != null) {
      long step = ts - timestamp(pendingVideo.packet());
      if (step <= 0 || step > maxStepTicks) {
        endSegment(); // the camera's clock jumped: start afresh, re-anchored
        anchorWall = null;
      } else if (packet.key() && ts - segmentFirstTs >= segmentTicks) {
        writePending(step);
        endSegment();
      } else {
        writePending(step);
        if (writer != null) {
          pendingVideo = packet;
          return;
        }
      }
    }
    if (!packet.key() || System.nanoTime() - retryAfterNanos < 0) {
      packet.free();
      return;
    }
    startSegment(packet, ts);
  }

  private void audio(Packet packet) {
    long ts = timestamp(packet.packet());
    if (writer == null || !writer.hasAudio() || ts == AV_NOPTS_VALUE) {
      packet.free();
      return;
    }
    long relative = ts - audioOrigin;
    if (relative < 0 || ts <= lastAudioTs) {
      packet.free(); // before the segment's first frame, or out of order
      return;
    }
    lastAudioTs = ts;
    AVPacket p = packet.packet();
    shift(p, -audioOrigin);
    try {
      writer.write(p, false);
    } catch (RecordingException e) {
      fail(e);
    } finally {
      packet.free();
    }
  }

  private void startSegment(Packet first, long ts) {
    if (anchorWall == null) {
      anchorWall = first.receivedAt();
      anchorTs = ts;
    }
    long offsetMicros = av_rescale_q(ts - anchorTs, layout.videoTimeBase, Mp4Files.MICROSECONDS);
    Instant start = anchorWall.plusNanos(offsetMicros * 1000);
    try {
      Path[] paths = index.pathsFor(start);
      writer =
          Mp4Output.create(
              paths[0],
              Mp4Output.Flavour.FRAGMENTED,
              layout.video,
              layout.videoTimeBase,
              layout.audio,
              layout.audioTimeBase);
      writerPart = paths[0];
      writerFinal = paths[1];
    } catch (IOException e) {
      first.free();
      fail(RecordingException.of("segment directory", e));
      return;
    } catch (RecordingException e) {
      first.free();
      fail(e);
      return;
    }
    segmentStart = start;
    segmentFirstTs = ts;
    audioOrigin =
        layout.hasAudio() ? av_rescale_q(ts, layout.videoTimeBase, layout.audioTimeBase) : 0;
    lastAudioTs = Long.MIN_VALUE;
    pendingVideo = first;
    closeGap(start);
    state = RecordingState.RECORDING;
    lastError = null;
  }

  /** Writes the held-back video packet, now that the next one says how long it lasts. */
  private void writePending(long duration) {
    Packet packet = pendingVideo;
    pendingVideo = null;
    lastFrameTicks = duration;
    AVPacket p = packet.packet();
    p.duration(duration);
    lastVideoEnd = timestamp(p) + duration;
    shift(p, -segmentFirstTs);
    try {
      writer.write(p, true);
    } catch (RecordingException e) {
      fail(e);
    } finally {
      packet.free();
    }
  }

  /** Closes the open segment, renames it to its final name and lists it in the index. */
  private void endSegment() {
    if (writer == null) {
      return;
    }
    if (pendingVideo != null) {
      writePending(lastFrameTicks > 0 ? lastFrameTicks : ticks(Duration.ofMillis(40)));
      if (writer == null) {
        return; // that write failed and fail() dealt with the segment
      }
    }
    Mp4Output closing = writer;
    writer = null;
    try {
      long payload = closing.payloadBytes();
      closing.finish();
      Duration duration = durationOfSegment();
      Files.move(writerPart, writerFinal, StandardCopyOption.ATOMIC_MOVE);
      Segment segment = new Segment(writerFinal, segmentStart, duration, Files.size(writerFinal));
      index.add(segment);
      segmentEnd = segment.end();
      lastSegmentAt = segment.end();
      segmentsTotal++;
      double rate = duration.isZero() ? 0 : payload * 1e9 / duration.toNanos();
      bytesPerSecond = bytesPerSecond == 0 ? rate : bytesPerSecond * 0.7 + rate * 0.3;
    } catch (RecordingException e) {
      deletePart();
      fail(e);
    } catch (IOException e) {
      deletePart();
      fail(RecordingException.of("closing segment", e));
    }
  }

  private Duration durationOfSegment() {
    return Duration.ofNanos(
        av_rescale_q(lastVideoEnd - segmentFirstTs, layout.videoTimeBase, Mp4Files.MICROSECONDS)
            * 1000);
  }

  private void shift(AVPacket p, long by) {
    if (p.pts() != AV_NOPTS_VALUE) {
      p.pts(p.pts() + by);
    }
    if (p.dts() != AV_NOPTS_VALUE) {
      p.dts(p.dts() + by);
    }
    p.pos(-1);
  }

  /** A write failed: keep what the segment holds if it can be closed, report, retry later. */
  private void fail(RecordingException e) {
    if (writer != null) {
      Mp4Output broken = writer;
      writer = null;
      if (pendingVideo != null) {
        pendingVideo.free();
        pendingVideo = null;
      }
      broken.abandon();
      deletePart();
    }
    Instant now = clock.instant();
    openGap(segmentEnd == null ? now : segmentEnd, e.getMessage());
    lastError = e.getMessage();
    state =
        switch (e.kind()) {
          case DISK_FULL -> RecordingState.DISK_FULL;
          case READ_ONLY -> RecordingState.READ_ONLY;
          case FAILED -> RecordingState.FAILED;
        };
    retryAfterNanos = System.nanoTime() + RETRY_AFTER.toNanos();
    log.warn("camera={} recording failed ({}): {}", camera, state, e.getMessage());
    if (e.kind() == RecordingException.Kind.DISK_FULL) {
      needSpace.run();
    }
  }

  private void deletePart() {
    try {
      if (writerPart != null) {
        Files.deleteIfExists(writerPart);
      }
    } catch (IOException e) {
      log.warn("camera={} cannot delete {}: {}", camera, writerPart, e.toString());
    }
  }

  private void openGap(Instant start, String cause) {
    synchronized (gaps) {
      Gap last = gaps.peekLast();
      if (last != null && last.end() == null) {
        return; // one gap at a time: its first cause is the one that matters
      }
      gaps.addLast(new Gap(start, null, cause));
      while (gaps.size() > MAX_GAPS) {
        gaps.removeFirst();
      }
    }
  }

  private void closeGap(Instant end) {
    synchronized (gaps) {
      Gap last = gaps.peekLast();
      if (last != null && last.end() == null) {
        gaps.removeLast();
        if (end.isAfter(last.start())) {
          gaps.addLast(new Gap(last.start(), end, last.cause()));
          log.warn(
              "camera={} recording gap {} .. {} ({} ms): {}",
              camera,
              last.start(),
              end,
              Duration.between(last.start(), end).toMillis(),
              last.cause());
        }
      }
    }
  }

  private long ticks(Duration duration) {
    return av_rescale_q(duration.toNanos() / 1000, Mp4Files.MICROSECONDS, layout.videoTimeBase);
  }

  private static long timestamp(AVPacket packet) {
    return packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
  }

  private void drain() {
    List<Item> left = new ArrayList<>();
    queue.drainTo(left);
    for (Item item : left) {
      if (item instanceof Packet packet) {
        packet.free();
      } else if (item instanceof Session session) {
        session.layout().close();
      }
    }
  }

  /** Finishes the open segment and stops the recorder thread. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("camera={} recorder did not finish within 5 s", camera);
    }
  }

  // ---- queue items --------------------------------------------------------------------------

  private sealed interface Item permits Session, Packet, End, Resync {}

  private record Session(StreamLayout layout) implements Item {}

  private record Packet(AVPacket packet, boolean video, boolean key, long size, Instant receivedAt)
      implements Item {
    void free() {
      av_packet_free(packet);
    }
  }

  private record End(String cause, Instant at) implements Item {}

  private record Resync(long dropped) implements Item {}
}
