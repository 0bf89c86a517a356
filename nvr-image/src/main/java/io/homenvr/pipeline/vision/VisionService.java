package io.homenvr.pipeline.vision;

import io.homenvr.pipeline.alert.Alert;
import io.homenvr.pipeline.alert.DecidedBy;
import io.homenvr.pipeline.config.PipelineConfig.VisionApi;
import io.homenvr.pipeline.motion.MotionEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides about motion events on its own workers: the vision LLM while its circuit breaker lets
 * calls through, else the local person detector, whose alerts say so (and, when a configured LLM
 * failed, that they are unverified). The queue is bounded and drops the oldest event, so a slow LLM
 * never holds back the analysis loop. While the breaker is not closed, a background probe asks the
 * server whether it answers again, so recovery (and {@code /status}) does not wait for the next
 * motion on a quiet camera.
 */
public final class VisionService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VisionService.class);

  private final Optional<VisionClient> client;
  private final Optional<VisionApi> api;
  private final PersonDetector fallback;
  private final CircuitBreaker breaker;
  private final Consumer<Alert> alerts;

  /** Every decision, alert or not (MQTT publishes what was seen and who decided). */
  private final BiConsumer<MotionEvent, VisionVerdict> verdicts;

  private final Clock clock;
  private final int queueSize;
  private final Deque<MotionEvent> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private final ScheduledExecutorService prober;
  private final List<String> inFlightCameras = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong fallbacks = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean reachable;
  private volatile Long lastLatencyMs;
  private volatile String lastError;
  private volatile Instant lastSuccessAt;
  private volatile boolean closed;

  /**
   * @param client the LLM, empty when no vision block is configured (local detector only)
   */
  public VisionService(
      Optional<VisionClient> client,
      Optional<VisionApi> api,
      PersonDetector fallback,
      CircuitBreaker breaker,
      int maxConcurrent,
      int queueSize,
      Consumer<Alert> alerts,
      BiConsumer<MotionEvent, VisionVerdict> verdicts,
      Clock clock) {
    this.client = client;
    this.api = api;
    this.fallback = fallback;
    this.breaker = breaker;
    this.queueSize = queueSize;
    this.alerts = alerts;
    this.verdicts = verdicts;
    this.clock = clock;
    for (int i = 0; i < maxConcurrent; i++) {
      Thread worker = new Thread(this::work, "vision-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    prober =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "vision-probe");
              thread.setDaemon(true);
              return thread;
            });
    if (client.isPresent()) {
      long interval = breaker.openFor().toMillis();
      prober.scheduleWithFixedDelay(
          this::probeWhileOpen, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  /** Never blocks; when the queue is full the oldest waiting event is dropped and counted. */
  public void submit(MotionEvent event) {
    synchronized (queue) {
      if (queue.size() >= queueSize) {
        MotionEvent oldest = queue.removeFirst();
        dropped.incrementAndGet();
        log.warn(
            "camera={} motion event of {} dropped: vision queue full",
            oldest.camera(),
            oldest.at());
      }
      queue.addLast(event);
      queue.notifyAll();
    }
  }

  /** Whether an event of this camera waits or is being analysed (one at a time per camera). */
  public boolean busyWith(String camera) {
    synchronized (queue) {
      return queue.stream().anyMatch(e -> e.camera().equals(camera))
          || inFlightCameras.contains(camera);
    }
  }

  public VisionStatus status() {
    int depth;
    synchronized (queue) {
      depth = queue.size();
    }
    boolean configured = client.isPresent();
    CircuitBreaker.State state = breaker.state();
    return new VisionStatus(
        configured,
        api.map(a -> a.name().toLowerCase(Locale.ROOT)).orElse(null),
        configured && state != CircuitBreaker.State.OPEN ? "llm" : "fallback",
        configured && reachable,
        configured ? state.name() : null,
        lastLatencyMs,
        lastError,
        lastSuccessAt,
        requests.get(),
        failures.get(),
        fallbacks.get(),
        depth,
        inFlight.get(),
        dropped.get());
  }

  @Override
  public void close() {
    closed = true;
    workers.forEach(Thread::interrupt);
    prober.shutdownNow();
  }

  /**
   * Runs on the probe thread at the breaker's interval; does nothing while the breaker is closed.
   */
  private void probeWhileOpen() {
    if (closed || breaker.state() == CircuitBreaker.State.CLOSED) {
      return;
    }
    try {
      client.orElseThrow().probe();
      boolean wasReachable = reachable;
      breaker.onProbeSuccess();
      reachable = true;
      if (!wasReachable) {
        log.info("vision LLM answers its probe again; next motion event is the trial call");
      }
    } catch (VisionException e) {
      if (reachable) {
        log.warn("vision LLM probe failed: {}", e.getMessage());
      }
      breaker.onProbeFailure();
      reachable = false;
      lastError = "probe: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // a throwing scheduled task is never run again: recovery must keep being probed
      log.warn("vision probe failed unexpectedly", e);
    }
  }

  private void work() {
    try {
      while (!closed) {
        MotionEvent event;
        synchronized (queue) {
          while (queue.isEmpty()) {
            queue.wait();
          }
          event = queue.removeFirst();
          inFlightCameras.add(event.camera());
          inFlight.incrementAndGet();
        }
        try {
          decide(event);
        } catch (RuntimeException e) {
          log.warn("camera={} analysis failed", event.camera(), e);
        } finally {
          synchronized (queue) {
            inFlightCameras.remove(event.camera());
            inFlight.decrementAndGet();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void decide(MotionEvent event) throws InterruptedException {
    Optional<VisionVerdict> verdict = Optional.empty();
    if (client.isPresent() && breaker.tryAcquire()) {
      verdict = askLlm(event);
    }
    VisionVerdict decided = verdict.orElseGet(() -> askFallback(event));
    log.info(
        "camera={} vision: {} seen={} alert={}{}",
        event.camera(),
        decided.description(),
        decided.seen(),
        decided.alert(),
        decided.decidedBy().captionSuffix().replace('\n', ' '));
    verdicts.accept(event, decided);
    if (decided.alert()) {
      alerts.accept(
          new Alert(
              event.camera(),
              event.at(),
              decided.description(),
              decided.decidedBy(),
              event.photoJpeg()));
    }
  }

  private Optional<VisionVerdict> askLlm(MotionEvent event) throws InterruptedException {
    requests.incrementAndGet();
    long start = System.nanoTime();
    try {
      VisionVerdict verdict = client.orElseThrow().analyse(event.camera(), event.cropJpeg());
      breaker.onSuccess();
      reachable = true;
      lastLatencyMs = (System.nanoTime() - start) / 1_000_000;
      lastSuccessAt = clock.instant();
      return Optional.of(verdict);
    } catch (VisionException e) {
      failures.incrementAndGet();
      breaker.onFailure();
      reachable = false;
      lastError = e.getMessage();
      log.warn(
          "camera={} vision LLM failed: {} (breaker {})",
          event.camera(),
          e.getMessage(),
          breaker.state());
      return Optional.empty();
    }
  }

  private VisionVerdict askFallback(MotionEvent event) {
    fallbacks.incrementAndGet();
    boolean person = fallback.containsPerson(event.cropJpeg());
    return new VisionVerdict(
        person ? List.of("person") : List.of(),
        person,
        person ? "person" : "motion, no person found",
        client.isPresent() ? DecidedBy.LOCAL_DETECTOR_LLM_DOWN : DecidedBy.LOCAL_DETECTOR);
  }
}
