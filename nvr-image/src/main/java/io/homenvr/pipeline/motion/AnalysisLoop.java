package io.homenvr.pipeline.motion;

import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.capture.GreyFrame;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that ticks at the highest {@code detect.fps}, runs each camera's newest frame through
 * its {@link MotionDetector} at that camera's rate, and hands motion to the vision stage at most
 * once per camera per cooldown, and never while that camera's last event is still open.
 *
 * <p>Every motion is told to its camera, which in eco mode decodes every frame from its next
 * keyframe on; motion seen on an eco keyframe raises no event itself, the full frames after it do.
 *
 * <p>Detection runs on small grey frames; for an event the loop asks the camera thread for its next
 * full-resolution colour frame and, on a later tick, cuts the crop and photo from it. A camera that
 * stops decoding meanwhile loses that event after {@link #FULL_FRAME_TIMEOUT}; the loop never
 * waits.
 */
public final class AnalysisLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnalysisLoop.class);

  /** A streaming camera answers within a frame or two; longer means it froze meanwhile. */
  static final Duration FULL_FRAME_TIMEOUT = Duration.ofSeconds(2);

  private final List<CameraConfig> cameras;
  private final Function<String, GreyFrame> latestGrey;
  private final Function<String, CompletableFuture<CapturedFrame>> fullFrame;
  private final Predicate<String> motionSeen;
  private final Predicate<String> visionBusy;
  private final Consumer<MotionEvent> vision;
  private final Duration cooldown;
  private final Clock clock;
  private final Map<String, MotionDetector> detectors = new HashMap<>();
  private final Map<String, Long> lastSequence = new HashMap<>();
  private final Map<String, Long> lastAnalysedNanos = new HashMap<>();
  private final Map<String, Instant> coolUntil = new HashMap<>();
  private final Map<String, PendingEvent> pending = new HashMap<>();
  private final ScheduledExecutorService executor;
  private volatile Instant lastTickAt;
  private volatile long ticks;
  private volatile long analyses;
  private volatile long motionEvents;

  public AnalysisLoop(
      List<CameraConfig> cameras,
      Function<String, GreyFrame> latestGrey,
      Function<String, CompletableFuture<CapturedFrame>> fullFrame,
      Predicate<String> motionSeen,
      Predicate<String> visionBusy,
      Consumer<MotionEvent> vision,
      Duration cooldown,
      Clock clock) {
    this.cameras = cameras;
    this.latestGrey = latestGrey;
    this.fullFrame = fullFrame;
    this.motionSeen = motionSeen;
    this.visionBusy = visionBusy;
    this.vision = vision;
    this.cooldown = cooldown;
    this.clock = clock;
    cameras.forEach(c -> detectors.put(c.name(), new MotionDetector(c.detect())));
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "analysis");
              thread.setDaemon(true);
              return thread;
            });
  }

  public void start() {
    double fps = cameras.stream().mapToDouble(c -> c.detect().fps()).max().orElse(5);
    long periodMicros = (long) (1_000_000 / fps);
    executor.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  public AnalysisStatus status() {
    return new AnalysisStatus(lastTickAt, ticks, analyses, motionEvents);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private void tick() {
    lastTickAt = clock.instant();
    ticks++;
    for (CameraConfig camera : cameras) {
      try {
        analyse(camera);
      } catch (RuntimeException e) {
        // a failing camera must not end the loop: a throwing scheduled task is never run again
        log.warn("camera={} motion analysis failed", camera.name(), e);
      }
    }
  }

  private void analyse(CameraConfig camera) {
    finishPendingEvent(camera.name());
    GreyFrame frame = latestGrey.apply(camera.name());
    if (frame == null || lastSequence.getOrDefault(camera.name(), -1L) == frame.sequence()) {
      return;
    }
    long now = System.nanoTime();
    long interval = (long) (0.9e9 / camera.detect().fps());
    Long last = lastAnalysedNanos.get(camera.name());
    if (last != null && now - last < interval) {
      return;
    }
    lastSequence.put(camera.name(), frame.sequence());
    lastAnalysedNanos.put(camera.name(), now);
    analyses++;
    Optional<Box> motion = detectors.get(camera.name()).detect(frame);
    if (motion.isEmpty()) {
      return;
    }
    if (!motionSeen.test(camera.name())) {
      // an eco-mode keyframe: the event waits for the full decoding starting at the next one, so
      // its full-resolution frame is taken while the motion is still where the box says
      return;
    }
    Instant at = clock.instant();
    Instant until = coolUntil.get(camera.name());
    if ((until != null && at.isBefore(until))
        || pending.containsKey(camera.name())
        || visionBusy.test(camera.name())) {
      return;
    }
    coolUntil.put(camera.name(), at.plus(cooldown));
    motionEvents++;
    log.info("camera={} motion at {}", camera.name(), motion.get());
    pending.put(
        camera.name(),
        new PendingEvent(fullFrame.apply(camera.name()), frame, motion.get(), System.nanoTime()));
  }

  /** Turns a motion whose full-resolution frame has arrived into the vision stage's event. */
  private void finishPendingEvent(String camera) {
    PendingEvent event = pending.get(camera);
    if (event == null) {
      return;
    }
    if (!event.colour().isDone()) {
      if (System.nanoTime() - event.requestedNanos() > FULL_FRAME_TIMEOUT.toNanos()) {
        pending.remove(camera);
        event.colour().thenAccept(CapturedFrame::close); // should it come after all
        log.warn(
            "camera={} motion dropped: no full frame within {} ms",
            camera,
            FULL_FRAME_TIMEOUT.toMillis());
      }
      return;
    }
    pending.remove(camera);
    CapturedFrame colour = event.colour().exceptionally(e -> null).join();
    if (colour == null) {
      log.warn("camera={} motion dropped: the camera stopped", camera);
      return;
    }
    GreyFrame detected = event.detected();
    Box motion =
        event
            .motion()
            .rescale(
                detected.sourceWidth(), detected.sourceHeight(), colour.width(), colour.height());
    try (colour) {
      vision.accept(MotionImages.event(colour, motion, detected.capturedAt()));
    }
  }

  /** Motion found on a grey frame, waiting for the camera thread's full-resolution copy. */
  private record PendingEvent(
      CompletableFuture<CapturedFrame> colour,
      GreyFrame detected,
      Box motion,
      long requestedNanos) {}
}
