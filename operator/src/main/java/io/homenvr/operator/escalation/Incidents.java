package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.names.CameraMonitorResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The incident records in {@code status.incidents}: opening one (id, times, cause, problems,
 * fingerprint, where its evidence is), closing it, finding the open one, keeping the newest {@link
 * #KEPT}. Bookkeeping only: when to open or close is the ladder's.
 */
final class Incidents {
  /** Incidents kept in status, newest first. */
  static final int KEPT = 10;

  private Incidents() {}

  /**
   * Opens an incident as the newest in {@code status} and makes it the open one.
   *
   * @param detectedAfter how long the fault went unnoticed: the incident's reported duration starts
   *     at the fault ({@code faultAt}), not at the check that caught it
   */
  static Incident open(
      CameraMonitorStatus status,
      CameraMonitor monitor,
      CauseClass cause,
      List<Problem> problems,
      Instant now,
      Duration detectedAfter) {
    Incident incident = new Incident();
    incident.setId(
        CameraMonitorResources.incidentId(
            now, Objects.requireNonNullElse(monitor.getMetadata().getGeneration(), 0L)));
    incident.setOpenedAt(Times.format(now));
    incident.setFaultAt(Times.format(now.minus(detectedAfter)));
    incident.setCause(cause);
    incident.setProblems(new ArrayList<>(problems));
    incident.setFingerprint(fingerprint(problems));
    incident.setEvidence(
        cause == CauseClass.PIPELINE
            ? CameraMonitorResources.evidenceConfigMapName(monitor) + "/" + incident.getId()
            : null);
    status.getIncidents().add(0, incident);
    while (status.getIncidents().size() > KEPT) {
      status.getIncidents().remove(status.getIncidents().size() - 1);
    }
    status.getRecovery().setIncident(incident.getId());
    status.getRecovery().setRestarts(0);
    return incident;
  }

  /**
   * Closes {@code incident}: nothing is open any more.
   *
   * @return how long it was open, if known
   */
  static Duration close(CameraMonitorStatus status, Incident incident, Instant now) {
    incident.setClosedAt(Times.format(now));
    status.getRecovery().setIncident(null);
    Instant opened = Times.parse(incident.getOpenedAt());
    return opened == null ? null : Duration.between(opened, now);
  }

  /** The incident {@code status.recovery.incident} names, if it is in the list. */
  static Optional<Incident> open(CameraMonitorStatus status) {
    String id = status.getRecovery() == null ? null : status.getRecovery().getIncident();
    return status.getIncidents().stream()
        .filter(i -> id != null && id.equals(i.getId()))
        .findFirst();
  }

  /** The incident with this id, if status still keeps it. */
  static Optional<Incident> find(CameraMonitorStatus status, String id) {
    return status.getIncidents().stream().filter(i -> i.getId().equals(id)).findFirst();
  }

  /** Since the oldest last frame of a stale or down camera, else since the previous check. */
  static Duration detectionDelay(Assessment assessment, Instant previousCheck, Instant now) {
    Instant earliest =
        assessment.cameras().stream()
            .filter(c -> "Stale".equals(c.getState()) || "Down".equals(c.getState()))
            .map(CameraStatus::getLastFrameTime)
            .map(Times::parse)
            .filter(Objects::nonNull)
            .min(Instant::compareTo)
            .orElse(previousCheck);
    return earliest == null || earliest.isAfter(now)
        ? Duration.ZERO
        : Duration.between(earliest, now);
  }

  /** Stable short hash of the problem kinds (cameras and numbers left out on purpose). */
  static String fingerprint(List<Problem> problems) {
    String kinds =
        problems.stream()
            .map(Problem::getKind)
            .distinct()
            .sorted()
            .collect(Collectors.joining(","));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(kinds.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
