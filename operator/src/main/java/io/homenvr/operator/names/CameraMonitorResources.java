package io.homenvr.operator.names;

import io.homenvr.api.v1alpha1.CameraMonitor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of everything homenvr creates for a CameraMonitor, in one place. */
public final class CameraMonitorResources {
  public static final String MANAGED_BY = "homenvr-operator";
  public static final String PIPELINE_APP = "homenvr-pipeline";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_CAMERA_MONITOR = "homenvr.io/cameramonitor";

  /** Informers of owned objects only see what homenvr labelled, not every ConfigMap around. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;

  public static final String CONFIG_CHECKSUM_ANNOTATION = "homenvr.io/config-checksum";

  /** On a CameraMonitor, any value: drop status.overrides and run the spec again. */
  public static final String REVERT_OVERRIDE_ANNOTATION = "homenvr.io/revert-override";

  /** Set to any new value: the ladder closes the open incident and starts over. */
  public static final String ACK_ANNOTATION = "homenvr.io/ack";

  /** Set to any new value: the pipeline is restarted once. */
  public static final String RESTART_ANNOTATION = "homenvr.io/restart";

  public static final String INCIDENT_LABEL = "homenvr.io/incident";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  private static final DateTimeFormatter INCIDENT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public static final String CONFIG_KEY = "pipeline.yaml";
  public static final String CONFIG_DIR = "/etc/homenvr";
  public static final String DATA_DIR = "/data";

  /** Where spec.pipeline.storage.offload.claimName is mounted in the pipeline's pod. */
  public static final String OFFLOAD_DIR = "/offload";

  public static final String SECRETS_DIR = "/var/run/secrets/homenvr";
  public static final String HTTP_PORT_NAME = "http";
  public static final int HTTP_PORT = 8080;
  public static final String PIPELINE_CONTAINER = "pipeline";

  /**
   * The longest CameraMonitor name whose children still have valid names: the Service {@code
   * <name>-pipeline} must be a 63-character DNS label, and so must {@code <name>-pipeline-data}.
   */
  public static final int MAX_NAME_LENGTH = 45;

  private static final int DNS_LABEL_MAX = 63;

  private CameraMonitorResources() {}

  public static String pipelineName(CameraMonitor monitor) {
    return monitor.getMetadata().getName() + "-pipeline";
  }

  public static String configMapName(CameraMonitor monitor) {
    return pipelineName(monitor);
  }

  public static String serviceName(CameraMonitor monitor) {
    return pipelineName(monitor);
  }

  public static String pvcName(CameraMonitor monitor) {
    return pipelineName(monitor) + "-data";
  }

  public static String evidenceConfigMapName(CameraMonitor monitor) {
    return monitor.getMetadata().getName() + "-evidence";
  }

  /** Deterministic per incident, so a crash mid-way can never launch a second Job. */
  public static String aiFixJobName(CameraMonitor monitor, String incident) {
    return fitDnsLabel(monitor.getMetadata().getName() + "-aifix-" + incident);
  }

  /** The pod-template volume name of a referenced Secret (volume names are DNS labels). */
  public static String secretVolumeName(String secretName) {
    String candidate = "secret-" + secretName;
    return candidate.length() <= DNS_LABEL_MAX && !secretName.contains(".")
        ? candidate
        : "secret-" + sha256Hex(secretName).substring(0, 16);
  }

  public static String secretMountPath(String secretName) {
    return SECRETS_DIR + "/" + secretName;
  }

  public static String secretFilePath(String secretName, String key) {
    return secretMountPath(secretName) + "/" + key;
  }

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

  /** What the pipeline's pods are selected by; stable for the Deployment's whole life. */
  public static Map<String, String> selectorLabels(CameraMonitor monitor) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, PIPELINE_APP);
    labels.put(LABEL_INSTANCE, monitor.getMetadata().getName());
    return labels;
  }

  /** Labels on every object homenvr creates for a CameraMonitor. */
  public static Map<String, String> labels(CameraMonitor monitor) {
    Map<String, String> labels = selectorLabels(monitor);
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    labels.put(LABEL_CAMERA_MONITOR, monitor.getMetadata().getName());
    return labels;
  }

  public static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String fitDnsLabel(String name) {
    if (name.length() <= DNS_LABEL_MAX) {
      return name;
    }
    String hash = sha256Hex(name).substring(0, 8);
    String head = name.substring(0, DNS_LABEL_MAX - hash.length() - 1).replaceAll("-+$", "");
    return head + "-" + hash;
  }
}
