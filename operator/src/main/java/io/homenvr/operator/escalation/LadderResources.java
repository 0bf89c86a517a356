package io.homenvr.operator.escalation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Names of everything the ladder creates or points at; deterministic so a retry finds them. */
public final class LadderResources {
  public static final String ACK_ANNOTATION = "homenvr.io/ack";
  public static final String RESTART_ANNOTATION = "homenvr.io/restart";
  public static final String INCIDENT_LABEL = "homenvr.io/incident";
  public static final String MONITOR_LABEL = "homenvr.io/cameramonitor";

  private static final int MAX_NAME = 63;
  private static final DateTimeFormatter INCIDENT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private LadderResources() {}

  /** Incident id from the time it opened and the spec generation it concerns. */
  public static String incidentId(Instant openedAt, long generation) {
    return INCIDENT_TIME.format(openedAt) + "-g" + generation;
  }

  public static String evidenceConfigMap(String monitor) {
    return monitor + "-evidence";
  }

  public static String aiFixJob(String monitor, String incident) {
    String suffix = "-aifix-" + incident;
    String prefix =
        monitor.length() + suffix.length() > MAX_NAME
            ? monitor.substring(0, MAX_NAME - suffix.length()).replaceAll("-+$", "")
            : monitor;
    return prefix + suffix;
  }

  public static String promptConfigMap(String job) {
    return job + "-prompt";
  }

  public static String fixBranch(String incident) {
    return "homenvr/fix-" + incident;
  }
}
