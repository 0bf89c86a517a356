package io.homenvr.operator.evidence;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.health.Observation;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.secrets.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps what the pipeline looked like before homenvr touched it, in a ConfigMap owned by the
 * CameraMonitor: per incident the log tail, the {@code /status} JSON and a thread dump, each
 * truncated and redacted, the last {@value #INCIDENTS_KEPT} incidents kept (far below the 1 MiB
 * object limit).
 */
public class EvidenceStore {
  static final int INCIDENTS_KEPT = 5;
  static final int MAX_LOG_BYTES = 32 * 1024;
  static final int MAX_STATUS_BYTES = 16 * 1024;
  static final int MAX_THREADS_BYTES = 48 * 1024;

  private final KubernetesClient client;

  public EvidenceStore(KubernetesClient client) {
    this.client = client;
  }

  public static String logsKey(String incident) {
    return incident + "-logs.txt";
  }

  public static String statusKey(String incident) {
    return incident + "-status.json";
  }

  public static String threadsKey(String incident) {
    return incident + "-threads.txt";
  }

  /** Stores the incident's evidence once; a second call for the same incident changes nothing. */
  public void capture(
      CameraMonitor monitor,
      String incident,
      Observation observation,
      String threadDump,
      Redactor redactor) {
    String namespace = monitor.getMetadata().getNamespace();
    String name = CameraMonitorResources.evidenceConfigMapName(monitor);
    ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
    Map<String, String> data =
        new LinkedHashMap<>(
            existing == null || existing.getData() == null ? Map.of() : existing.getData());
    if (data.containsKey(logsKey(incident))) {
      return;
    }
    data.put(logsKey(incident), redactor.redact(tail(logs(observation), MAX_LOG_BYTES)));
    data.put(statusKey(incident), redactor.redact(tail(statusJson(observation), MAX_STATUS_BYTES)));
    data.put(
        threadsKey(incident),
        redactor.redact(
            head(
                threadDump == null ? "(no thread dump: /threads did not answer)" : threadDump,
                MAX_THREADS_BYTES)));
    keepNewest(data);
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(
                CameraMonitorResources.LABEL_CAMERA_MONITOR, monitor.getMetadata().getName())
            .addToLabels(CameraMonitorResources.COMPONENT_LABEL, "evidence")
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(monitor.getApiVersion())
                    .withKind(monitor.getKind())
                    .withName(monitor.getMetadata().getName())
                    .withUid(monitor.getMetadata().getUid())
                    .withController(false)
                    .build())
            .endMetadata()
            .withData(data)
            .build();
    if (existing == null) {
      client.configMaps().inNamespace(namespace).resource(desired).create();
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.configMaps().inNamespace(namespace).resource(desired).update();
    }
  }

  /** Incident ids start with their UTC time, so their order is their age. */
  static void keepNewest(Map<String, String> data) {
    TreeSet<String> incidents =
        data.keySet().stream()
            .map(EvidenceStore::incidentOf)
            .collect(Collectors.toCollection(TreeSet::new));
    while (incidents.size() > INCIDENTS_KEPT) {
      String oldest = incidents.pollFirst();
      data.keySet().removeIf(key -> incidentOf(key).equals(oldest));
    }
  }

  private static String incidentOf(String key) {
    return key.replaceFirst("-(logs\\.txt|status\\.json|threads\\.txt)$", "");
  }

  private static String logs(Observation observation) {
    if (observation == null || observation.logs() == null || !observation.logs().available()) {
      return "(no log tail: "
          + (observation == null || observation.logs() == null
              ? "not read"
              : observation.logs().error())
          + ")";
    }
    return observation.logs().lines().stream()
        .map(line -> (line.at() == null ? "" : line.at() + " ") + line.text())
        .collect(Collectors.joining("\n"));
  }

  private static String statusJson(Observation observation) {
    if (observation == null
        || observation.heartbeat() == null
        || !observation.heartbeat().reachable()) {
      return "{\"unreachable\":true}";
    }
    return observation.heartbeat().rawJson();
  }

  /** The newest part of a log is what matters. */
  static String tail(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    String cut = new String(bytes, bytes.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
    return "[… truncated to the last "
        + maxBytes
        + " bytes]\n"
        + cut.substring(Math.min(1, cut.length()));
  }

  static String head(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    return new String(bytes, 0, maxBytes, StandardCharsets.UTF_8)
        + "\n[… truncated to "
        + maxBytes
        + " bytes]";
  }
}
