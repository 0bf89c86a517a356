package io.homenvr.operator.notify;

import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.health.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Reports waiting in {@code status.outbox}: queued once per incident and kind, retried with backoff
 * (or Telegram's retry_after) until Telegram confirms, so neither an outage nor an operator restart
 * loses or repeats one.
 */
public final class Outbox {
  static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** Undelivered reports kept at most; the oldest go first so the newest news survives. */
  static final int CAPACITY = 20;

  private Outbox() {}

  /**
   * Queues a report unless this incident already queued one of this kind.
   *
   * @return true when queued
   */
  public static boolean enqueue(
      CameraMonitorStatus status, Incident incident, String kind, String text, Instant now) {
    String id = (incident == null ? "monitor" : incident.getId()) + "-" + kind;
    if (incident != null && incident.getNotified().contains(kind)) {
      return false;
    }
    if (!add(status, id, incident == null ? null : incident.getId(), kind, text, now)) {
      return false;
    }
    if (incident != null) {
      incident.getNotified().add(kind);
    }
    return true;
  }

  /**
   * Queues the daily digest as {@code digest-<UTC date>}, unless that day's is already waiting.
   *
   * @return true when queued
   */
  public static boolean enqueueDigest(CameraMonitorStatus status, String text, Instant now) {
    return add(status, digestId(now), null, Reports.DIGEST, text, now);
  }

  static String digestId(Instant now) {
    return "digest-" + LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  private static boolean add(
      CameraMonitorStatus status,
      String id,
      String incident,
      String kind,
      String text,
      Instant now) {
    if (status.getOutbox().stream().anyMatch(r -> id.equals(r.getId()))) {
      return false;
    }
    Report report = new Report();
    report.setId(id);
    report.setIncident(incident);
    report.setKind(kind);
    report.setText(text);
    report.setCreatedAt(Times.format(now));
    report.setAttempts(0);
    status.getOutbox().add(report);
    while (status.getOutbox().size() > CAPACITY) {
      status.getOutbox().remove(0);
    }
    return true;
  }

  /** Reports whose time has come, oldest first. */
  public static List<Report> due(CameraMonitorStatus status, Instant now) {
    return status.getOutbox().stream()
        .filter(
            r -> {
              Instant next = Times.parse(r.getNextAttemptTime());
              return next == null || !next.isAfter(now);
            })
        .toList();
  }

  public static void delivered(CameraMonitorStatus status, String reportId) {
    status.getOutbox().removeIf(r -> reportId.equals(r.getId()));
  }

  /** Records a failed attempt; Telegram's retry_after wins over our own backoff. */
  public static void failed(
      CameraMonitorStatus status, String reportId, String error, Duration retryAfter, Instant now) {
    for (Report report : status.getOutbox()) {
      if (reportId.equals(report.getId())) {
        int attempts = Objects.requireNonNullElse(report.getAttempts(), 0) + 1;
        report.setAttempts(attempts);
        report.setLastError(error);
        Duration wait = retryAfter != null ? retryAfter : backoff(attempts);
        report.setNextAttemptTime(Times.format(now.plus(wait)));
      }
    }
  }

  static Duration backoff(int attempts) {
    Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
    return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
  }
}
