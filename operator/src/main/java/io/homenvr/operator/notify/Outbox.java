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
 * Reports waiting in {@code status.outbox}: queued once per incident and kind as one entry per
 * {@link Channel}, each retried with backoff (or Telegram's retry_after, or a Retry-After header)
 * until its channel confirms, so neither an outage of one channel nor an operator restart loses a
 * report, holds up another channel or sends a confirmed one again.
 */
public final class Outbox {
  static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /**
   * Undelivered reports kept at most per channel; the oldest go first so the newest news survives.
   */
  static final int CAPACITY = 20;

  private Outbox() {}

  /**
   * Queues a report for each channel unless this incident already queued one of this kind.
   *
   * @return true when queued
   */
  public static boolean enqueue(
      CameraMonitorStatus status,
      Incident incident,
      String kind,
      String text,
      Instant now,
      List<Channel> channels) {
    String id = (incident == null ? "monitor" : incident.getId()) + "-" + kind;
    if (incident != null && incident.getNotified().contains(kind)) {
      return false;
    }
    boolean queued = false;
    for (Channel channel : channels) {
      queued |=
          add(status, channel, id, incident == null ? null : incident.getId(), kind, text, now);
    }
    if (queued && incident != null) {
      incident.getNotified().add(kind);
    }
    return queued;
  }

  /**
   * Queues the daily digest as {@code digest-<UTC date>} for each channel, unless that day's is
   * already waiting there.
   *
   * @return true when queued
   */
  public static boolean enqueueDigest(
      CameraMonitorStatus status, String text, Instant now, List<Channel> channels) {
    boolean queued = false;
    for (Channel channel : channels) {
      queued |= add(status, channel, digestId(now), null, Reports.DIGEST, text, now);
    }
    return queued;
  }

  static String digestId(Instant now) {
    return "digest-" + LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  private static boolean add(
      CameraMonitorStatus status,
      Channel channel,
      String baseId,
      String incident,
      String kind,
      String text,
      Instant now) {
    String id = channel.reportId(baseId);
    if (status.getOutbox().stream().anyMatch(r -> id.equals(r.getId()))) {
      return false;
    }
    Report report = new Report();
    report.setId(id);
    report.setChannel(channel == Channel.TELEGRAM ? null : channel.id());
    report.setIncident(incident);
    report.setKind(kind);
    report.setText(text);
    report.setCreatedAt(Times.format(now));
    report.setAttempts(0);
    status.getOutbox().add(report);
    List<Report> mine = status.getOutbox().stream().filter(r -> Channel.of(r) == channel).toList();
    for (int i = 0; i < mine.size() - CAPACITY; i++) {
      status.getOutbox().remove(mine.get(i));
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

  /** Records a failed attempt; the channel's retry_after wins over our own backoff. */
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
