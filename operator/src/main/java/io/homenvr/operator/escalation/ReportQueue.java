package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.notify.Channel;
import io.homenvr.operator.notify.Outbox;
import io.homenvr.operator.notify.Reports;
import java.time.Instant;
import java.util.List;

/**
 * Puts the reports a {@link Transition} asks for into its status' outbox, worded by {@link
 * Reports}, before that status is written: a report is stored with the state that caused it, and
 * delivered from there (once per incident and kind).
 */
final class ReportQueue {
  private ReportQueue() {}

  static void queue(
      Transition transition, CameraMonitor monitor, Assessment assessment, Instant now) {
    CameraMonitorStatus status = transition.status();
    List<Channel> channels = Channel.configured(monitor.getSpec().getEscalation());
    Reports reports =
        new Reports(
            monitor.getMetadata().getNamespace(),
            monitor.getMetadata().getName(),
            CameraMonitorResources.pipelineName(monitor),
            CameraMonitorResources.evidenceConfigMapName(monitor));
    for (Notice notice : transition.notices()) {
      if (notice instanceof Notice.Report report) {
        Incident incident =
            status.getIncidents().stream()
                .filter(i -> i.getId().equals(report.incident()))
                .findFirst()
                .orElseThrow();
        Outbox.enqueue(
            status,
            incident,
            report.kind(),
            text(reports, report, incident, monitor, status, now),
            now,
            channels);
      } else if (notice instanceof Notice.Digest) {
        Instant dayAgo = now.minus(EscalationLadder.DIGEST_INTERVAL);
        List<Incident> lastDay =
            status.getIncidents().stream()
                .filter(i -> after(i.getOpenedAt(), dayAgo) || after(i.getClosedAt(), dayAgo))
                .toList();
        List<Assessment.RecordingGap> gaps =
            assessment.recordingGaps().stream().filter(g -> g.end().isAfter(dayAgo)).toList();
        Outbox.enqueueDigest(
            status, reports.digest(status.getCameras(), lastDay, gaps), now, channels);
      }
    }
  }

  private static String text(
      Reports reports,
      Notice.Report report,
      Incident incident,
      CameraMonitor monitor,
      CameraMonitorStatus status,
      Instant now) {
    return switch (report.kind()) {
      case Reports.FIXED_BY_RESTART -> reports.fixedByRestart(incident, now);
      case Reports.AI_FIX_APPLIED ->
          reports.aiFixApplied(incident, verifySeconds(monitor, incident));
      case Reports.AI_FIX_HELD -> reports.aiFixHeld(incident, verifySeconds(monitor, incident));
      case Reports.NEEDS_HUMAN ->
          reports.needsHuman(
              incident,
              NoticeWording.why(report.why()),
              Times.parse(status.getRecovery().getLastRestartTime()));
      case Reports.RECOVERED -> reports.recovered(incident, now);
      case Reports.DEPENDENCY_DOWN -> reports.dependencyDown(incident);
      case Reports.DEPENDENCY_BACK -> reports.dependencyBack(incident, now);
      default -> throw new IllegalArgumentException("no report of kind " + report.kind());
    };
  }

  /** A configuration change is verified for configFixes.verifySeconds, a code fix for aiFix's. */
  private static int verifySeconds(CameraMonitor monitor, Incident incident) {
    AiFixSpec aiFix = monitor.getSpec().getEscalation().getAiFix();
    boolean config =
        incident.getAiFix() != null
            && incident.getAiFix().getProposal() != null
            && "config".equals(incident.getAiFix().getProposal().getType());
    return config ? aiFix.getConfigFixes().getVerifySeconds() : aiFix.getVerifySeconds();
  }

  private static boolean after(String time, Instant instant) {
    Instant parsed = Times.parse(time);
    return parsed != null && parsed.isAfter(instant);
  }
}
