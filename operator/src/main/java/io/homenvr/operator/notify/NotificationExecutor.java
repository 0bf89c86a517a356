package io.homenvr.operator.notify;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.secrets.Redactor;
import io.homenvr.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the reports waiting in a CameraMonitor's {@code status.outbox} on its own thread, never
 * on the reconcile thread, and only from a status that is already stored: whatever a delivery
 * concerns was written first.
 *
 * <p>The outcome of a delivery (delivered, or failed with the next attempt's time) is not written
 * here: it waits in memory until the next reconciliation {@link #takeOutcomes takes it} into the
 * status it writes, and {@link #wake} asks for that reconciliation at once. While outcomes wait, or
 * a delivery runs, nothing more is sent for that object, so no report goes out twice; an operator
 * that stops before the outcome is written sends that report once more after its restart (at least
 * once, never lost). A graceful stop {@link #drain drains} first: what was delivered is stored.
 */
public class NotificationExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationExecutor.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** What happened to the due reports of one delivery: those delivered, and the failed ones. */
  private record Outcomes(CameraMonitor monitor, Set<String> delivered, List<Report> failed) {}

  private final ReportDelivery delivery;
  private final Consumer<Integer> onDelivered;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "notifications");
            t.setDaemon(true);
            return t;
          });

  /** Per object uid: a delivery is running (empty) or its outcomes wait to be taken. */
  private final Map<String, Optional<Outcomes>> busy = new ConcurrentHashMap<>();

  private volatile Consumer<ResourceID> wake = id -> {};

  /**
   * @param onDelivered told how many reports one delivery confirmed (for metrics)
   */
  public NotificationExecutor(ReportDelivery delivery, Consumer<Integer> onDelivered) {
    this.delivery = delivery;
    this.onDelivered = onDelivered;
  }

  /** How to ask for a reconciliation of an object whose delivery outcomes wait. */
  public void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /**
   * Moves the outcomes of the last delivery into {@code status}'s outbox (delivered reports out,
   * failed ones with their attempt count, error and next attempt time).
   *
   * @return whether there were any
   */
  public boolean takeOutcomes(CameraMonitor monitor, CameraMonitorStatus status) {
    String uid = monitor.getMetadata().getUid();
    Optional<Outcomes> waiting = busy.get(uid);
    if (waiting == null || waiting.isEmpty() || !busy.remove(uid, waiting)) {
      return false;
    }
    apply(waiting.get(), status);
    return true;
  }

  private static void apply(Outcomes outcomes, CameraMonitorStatus status) {
    status.getOutbox().removeIf(r -> outcomes.delivered().contains(r.getId()));
    for (Report failed : outcomes.failed()) {
      status.getOutbox().stream()
          .filter(r -> r.getId().equals(failed.getId()))
          .forEach(
              r -> {
                r.setAttempts(failed.getAttempts());
                r.setLastError(failed.getLastError());
                r.setNextAttemptTime(failed.getNextAttemptTime());
              });
    }
  }

  /**
   * Delivers, on the notification thread, what is due in {@code stored} (a status already written),
   * unless a delivery for this object is running or its outcomes were not taken yet.
   *
   * @param destinations the channels, with a reader of their Secrets for when the delivery runs
   */
  public void submit(
      CameraMonitor monitor,
      CameraMonitorStatus stored,
      Destinations destinations,
      Redactor redactor) {
    if (stored.getOutbox().isEmpty()) {
      return;
    }
    String uid = monitor.getMetadata().getUid();
    if (busy.putIfAbsent(uid, Optional.empty()) != null) {
      return;
    }
    CameraMonitorStatus copy = JSON.clone(stored);
    try {
      thread.execute(() -> deliver(monitor, copy, destinations, redactor));
    } catch (RejectedExecutionException stopping) {
      busy.remove(uid);
    }
  }

  private void deliver(
      CameraMonitor monitor,
      CameraMonitorStatus status,
      Destinations destinations,
      Redactor redactor) {
    String uid = monitor.getMetadata().getUid();
    ResourceID id = ResourceID.fromResource(monitor);
    Set<String> before = status.getOutbox().stream().map(Report::getId).collect(Collectors.toSet());
    List<Report> was = status.getOutbox().stream().map(JSON::clone).toList();
    int sent;
    try {
      sent = delivery.deliver(status, destinations, redactor);
    } catch (RuntimeException e) {
      log.warn("{}: report delivery failed: {}", id, e.toString());
      busy.remove(uid);
      return;
    }
    Set<String> after = status.getOutbox().stream().map(Report::getId).collect(Collectors.toSet());
    Set<String> delivered =
        before.stream().filter(r -> !after.contains(r)).collect(Collectors.toSet());
    List<Report> failed = new ArrayList<>();
    for (Report report : status.getOutbox()) {
      was.stream()
          .filter(w -> w.getId().equals(report.getId()))
          .filter(w -> !JSON.asJson(w).equals(JSON.asJson(report)))
          .findFirst()
          .ifPresent(changed -> failed.add(report));
    }
    if (delivered.isEmpty() && failed.isEmpty()) {
      busy.remove(uid);
      return;
    }
    busy.put(uid, Optional.of(new Outcomes(monitor, delivered, failed)));
    if (sent > 0) {
      onDelivered.accept(sent);
    }
    wake.accept(id);
  }

  /** A deleted CameraMonitor's pending outcomes go with it. */
  public void forget(CameraMonitor monitor) {
    busy.remove(monitor.getMetadata().getUid());
  }

  /**
   * For a graceful stop, once no reconciliation runs any more: waits up to {@code wait} for a
   * delivery in flight, then stores the outcomes no reconciliation took yet, each on a fresh read
   * of its object through the {@link StatusWriter}, so that a report delivered just before the
   * operator stopped is not sent again by the next one.
   */
  public void drain(StatusWriter writer, Duration wait) {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("a report delivery was still running after {} s; stopping without it", wait);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    for (Optional<Outcomes> waiting : busy.values()) {
      waiting.ifPresent(
          outcomes -> {
            try {
              writer.update(outcomes.monitor(), status -> apply(outcomes, status));
            } catch (RuntimeException e) {
              log.warn(
                  "{}: the outcome of its last report delivery was not stored: {}",
                  ResourceID.fromResource(outcomes.monitor()),
                  e.toString());
            }
          });
    }
    busy.clear();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
