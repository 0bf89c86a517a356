package io.homenvr.operator.escalation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names the ladder adds to {@link io.homenvr.operator.dependent.CameraMonitorResources}:
 * annotations, incident ids, prompt and branch names; deterministic so a retry finds what it made.
 */
public final class LadderResources {
  public static final String ACK_ANNOTATION = "homenvr.io/ack";
  public static final String RESTART_ANNOTATION = "homenvr.io/restart";
  public static final String INCIDENT_LABEL = "homenvr.io/incident";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  private static final DateTimeFormatter INCIDENT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private LadderResources() {}

  /** Incident id from the time it opened and the spec generation it concerns. */
  public static String incidentId(Instant openedAt, long generation) {
    return INCIDENT_TIME.format(openedAt) + "-g" + generation;
  }

  public static String promptConfigMap(String job) {
    return job + "-prompt";
  }

  public static String fixBranch(String incident) {
    return "homenvr/fix-" + incident;
  }
}
