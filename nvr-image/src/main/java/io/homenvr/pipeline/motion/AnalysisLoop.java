package io.homenvr.pipeline.motion;

import io.homenvr.pipeline.capture.CapturedFrame;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
public final class AnalysisLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnalysisLoop.class);

  private final List<CameraConfig> cameras;
  private final Function<String, CapturedFrame> latestFrame;
  private final Predicate<String> visionBusy;
  private final Consumer<MotionEvent> vision;
  private final Duration cooldown;
  private final Clock clock;
  private final Map<String, MotionDetector> detectors = new HashMap<>();
  private final Map<String, Long> lastSequence = new HashMap<>();
  private final Map<String, Long> lastAnalysedNanos = new HashMap<>();
  private final Map<String, Instant> coolUntil = new HashMap<>();
  private final ScheduledExecutorService executor;
  private volatile Instant lastTickAt;
  private volatile long ticks;
  private volatile long analyses;
  private volatile long motionEvents;

  public AnalysisLoop(
      List<CameraConfig> cameras,
      Function<String, CapturedFrame> latestFrame,
      Predicate<String> visionBusy,
      Consumer<MotionEvent> vision,
      Duration cooldown,
      Clock clock) {
    this.cameras = cameras;
    this.latestFrame = latestFrame;
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
    CapturedFrame frame = latestFrame.apply(camera.name());
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
    Instant at = clock.instant();
    Instant until = coolUntil.get(camera.name());
    if ((until != null && at.isBefore(until)) || visionBusy.test(camera.name())) {
      return;
    }
    coolUntil.put(camera.name(), at.plus(cooldown));
    motionEvents++;
    log.info("camera={} motion at {}", camera.name(), motion.get());
    vision.accept(MotionImages.event(frame, motion.get(), frame.capturedAt()));
  }
}
