package io.homenvr.operator.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the operator publishes of one CameraMonitor, read from a stored status: its phase, whether
 * something is wrong and the open incident (id, stage, tier, a summary of its problems).
 */
record MonitorState(String phase, boolean problem, byte[] incident) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Problem messages are cut to this: an MQTT attribute is for a glance, status has the rest. */
  private static final int SUMMARY_MAX = 500;

  static MonitorState of(CameraMonitorStatus status, Phase phase) {
    Phase shown = phase == null ? Phase.Pending : phase;
    boolean problem = shown != Phase.Healthy && shown != Phase.Pending;
    String open = status.getRecovery() == null ? null : status.getRecovery().getIncident();
    Incident incident =
        open == null
            ? null
            : status.getIncidents().stream()
                .filter(i -> open.equals(i.getId()) && i.getClosedAt() == null)
                .findFirst()
                .orElse(null);
    ObjectNode json = JSON.createObjectNode();
    json.put("open", incident != null);
    if (incident != null) {
      json.put("id", incident.getId());
      json.put("stage", status.getRecovery().getStage());
      json.put("tier", incident.getTierReached());
      json.put("cause", incident.getCause() == null ? null : incident.getCause().name());
      json.put("openedAt", incident.getOpenedAt());
      json.put("restarts", incident.getRestarts());
      json.put("problems", summary(incident));
    }
    return new MonitorState(shown.name(), problem, MonitorTopics.bytes(json));
  }

  /** Retained topic to payload. */
  Map<String, byte[]> messages(MonitorTopics topics) {
    Map<String, byte[]> messages = new LinkedHashMap<>();
    messages.put(topics.phase(), MonitorTopics.bytes(phase));
    messages.put(topics.problem(), MonitorTopics.bytes(problem ? "ON" : "OFF"));
    messages.put(topics.incident(), incident);
    return messages;
  }

  private static String summary(Incident incident) {
    String text =
        incident.getProblems().stream().map(MonitorState::line).collect(Collectors.joining("; "));
    return text.length() <= SUMMARY_MAX ? text : text.substring(0, SUMMARY_MAX) + "…";
  }

  private static String line(Problem problem) {
    return problem.getKind() + ": " + Objects.requireNonNullElse(problem.getMessage(), "");
  }
}
