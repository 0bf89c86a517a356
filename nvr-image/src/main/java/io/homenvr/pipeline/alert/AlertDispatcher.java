package io.homenvr.pipeline.alert;

import io.homenvr.pipeline.config.PipelineConfig.TelegramConfig;
import io.homenvr.pipeline.storage.SnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and logs every alert, then delivers it to Telegram from its own thread: a bounded queue
 * that drops the oldest, retries with capped backoff and Telegram's {@code retry_after}, so a slow
 * or failing Telegram never blocks the stages before it. Backoffs wait on the queue's monitor, so
 * {@link #close()} ends them at once instead of after minutes.
 */
public final class AlertDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(1);

  /** Delivery tuning: how many alerts wait, how often one is tried, the backoff between tries. */
  public record Delivery(
      int queueSize, int maxAttempts, Duration backoffInitial, Duration backoffMax) {
    public static final Delivery DEFAULTS =
        new Delivery(32, 6, Duration.ofSeconds(2), Duration.ofMinutes(2));
  }

  private final SnapshotStore store;
  private final Optional<TelegramClient> telegram;
  private final Delivery delivery;
  private final Clock clock;
  private final ZoneId zone;
  private final String secret;
  private final Deque<Alert> queue = new ArrayDeque<>();
  private final Thread worker;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean inFlight;
  private volatile boolean closed;
  private volatile Instant lastSentAt;
  private volatile String lastError;

  public AlertDispatcher(
      SnapshotStore store,
      Optional<TelegramConfig> telegram,
      Delivery delivery,
      Clock clock,
      ZoneId zone) {
    this.store = store;
    this.telegram = telegram.map(TelegramClient::new);
    this.secret = telegram.map(TelegramConfig::botToken).orElse(null);
    this.delivery = delivery;
    this.clock = clock;
    this.zone = zone;
    this.worker = new Thread(this::deliverLoop, "alerts-telegram");
    this.worker.setDaemon(true);
    if (this.telegram.isPresent()) {
      worker.start();
    }
  }

  /** Never blocks: saves the photo, logs the alert, queues it for Telegram. */
  public void raise(Alert alert) {
    store.save(alert.camera(), alert.at(), alert.photoJpeg());
    log.info(
        "ALERT camera={} {}{}",
        alert.camera(),
        alert.description(),
        alert.decidedBy().captionSuffix().replace('\n', ' '));
    if (telegram.isEmpty()) {
      return;
    }
    synchronized (queue) {
      if (queue.size() >= delivery.queueSize()) {
        Alert oldest = queue.removeFirst();
        dropped.incrementAndGet();
        log.warn("camera={} alert of {} dropped: queue full", oldest.camera(), oldest.at());
      }
      queue.addLast(alert);
      queue.notifyAll();
    }
  }

  public AlertStatus status() {
    int pending;
    synchronized (queue) {
      pending = queue.size() + (inFlight ? 1 : 0);
    }
    return new AlertStatus(
        telegram.isPresent(),
        sent.get(),
        failed.get(),
        pending,
        dropped.get(),
        lastSentAt,
        lastError);
  }

  /**
   * Ends a pending backoff at once and aborts a Telegram call in flight (its timeout is 30 s), then
   * waits up to a second for the worker; alerts not yet delivered stay saved on the data volume.
   */
  @Override
  public void close() {
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
    }
    worker.interrupt();
    try {
      worker.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliverLoop() {
    Alert alert = null;
    try {
      while (true) {
        synchronized (queue) {
          while (queue.isEmpty() && !closed) {
            queue.wait();
          }
          if (closed) {
            break;
          }
          alert = queue.removeFirst();
          inFlight = true;
        }
        try {
          deliver(alert);
          alert = null;
        } finally {
          inFlight = false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int undelivered;
    synchronized (queue) {
      undelivered = queue.size() + (alert == null ? 0 : 1);
    }
    if (undelivered > 0) {
      log.warn(
          "{} alert(s) not sent to Telegram: pipeline stopping (their snapshots are saved)",
          undelivered);
    }
  }

  private void deliver(Alert alert) throws InterruptedException {
    Duration backoff = delivery.backoffInitial();
    for (int attempt = 1; ; attempt++) {
      try {
        telegram.orElseThrow().sendPhoto(alert.photoJpeg(), alert.caption(zone));
        sent.incrementAndGet();
        lastSentAt = clock.instant();
        log.info("camera={} alert sent to Telegram (attempt {})", alert.camera(), attempt);
        return;
      } catch (TelegramException e) {
        lastError = redact(e.getMessage());
        if (!e.retryable() || attempt >= delivery.maxAttempts()) {
          failed.incrementAndGet();
          log.warn(
              "camera={} alert not delivered after {} attempts: {}",
              alert.camera(),
              attempt,
              lastError);
          return;
        }
        Duration wait = e.retryAfter().orElse(backoff);
        log.warn(
            "camera={} alert delivery failed ({}), retry {} in {} ms",
            alert.camera(),
            lastError,
            attempt + 1,
            wait.toMillis());
        if (!awaitRetry(wait)) {
          throw new InterruptedException("closed during a backoff");
        }
        backoff = min(backoff.multipliedBy(2), delivery.backoffMax());
      }
    }
  }

  /** Waits out a backoff unless {@link #close()} comes first; false when it did. */
  private boolean awaitRetry(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (queue) {
      while (!closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        // raise() notifies too: loop until the deadline or close
        TimeUnit.NANOSECONDS.timedWait(queue, left);
      }
    }
    return false;
  }

  /** Telegram echoes nothing secret today; this keeps it so if a proxy ever quotes the URL. */
  private String redact(String message) {
    return secret == null || secret.isEmpty() ? message : message.replace(secret, "***");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
