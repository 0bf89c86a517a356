package io.homenvr.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Quantity;
import io.homenvr.api.v1alpha1.spec.AlertsSpec;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.MqttSpec;
import io.homenvr.api.v1alpha1.spec.RecordSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.names.CameraMonitorResources;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the pipeline's {@code pipeline.yaml} (docs/pipeline-config.md) from a valid spec. Secrets
 * appear only as the paths where their Secret volumes are mounted, never as values.
 */
public final class PipelineConfigRenderer {
  /** The data volume without {@code pipeline.storage}: an emptyDir of this size. */
  public static final String EPHEMERAL_DATA_SIZE = "2Gi";

  private static final int DEFAULT_RETENTION_DAYS = 7;
  private static final int DEFAULT_MIN_FREE_PERCENT = 10;
  private static final int DEFAULT_MIN_FREE_INODES_PERCENT = 5;
  private static final int SUMMARY_INTERVAL_SECONDS = 60;

  /** Snapshots may fill this share of the volume; the rest is headroom for the filesystem. */
  private static final BigDecimal USABLE_SHARE = new BigDecimal("0.9");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

  private PipelineConfigRenderer() {}

  public static String render(CameraMonitorSpec spec) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("cameras", spec.getCameras().stream().map(PipelineConfigRenderer::camera).toList());
    if (spec.getVision() != null) {
      config.put("vision", vision(spec.getVision()));
    }
    config.put("alerts", alerts(spec.getAlerts()));
    config.put("storage", storage(spec.getPipeline().getStorage()));
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("port", CameraMonitorResources.HTTP_PORT);
    server.put("bindAddress", "0.0.0.0");
    config.put("server", server);
    if (spec.getMqtt() != null) {
      config.put("mqtt", mqtt(spec.getMqtt()));
    }
    // the summary line is what proves the log alive: log it well within logStaleSeconds
    config.put(
        "summaryIntervalSeconds",
        Math.max(1, Math.min(SUMMARY_INTERVAL_SECONDS, spec.getHealth().getLogStaleSeconds() / 2)));
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers always serialises", e);
    }
  }

  public static String checksum(CameraMonitorSpec spec) {
    return CameraMonitorResources.sha256Hex(render(spec));
  }

  private static Map<String, Object> camera(CameraSpec camera) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", camera.getName());
    out.put("url", camera.getUrl());
    out.put("transport", camera.getTransport());
    CredentialsRef credentials = camera.getCredentialsSecretRef();
    if (credentials != null) {
      out.put(
          "usernameFile",
          CameraMonitorResources.secretFilePath(
              credentials.getName(), credentials.getUsernameKey()));
      out.put(
          "passwordFile",
          CameraMonitorResources.secretFilePath(
              credentials.getName(), credentials.getPasswordKey()));
    }
    Map<String, Object> detect = new LinkedHashMap<>();
    detect.put("fps", camera.getDetect().getFps());
    detect.put("width", camera.getDetect().getWidth());
    detect.put("minAreaPercent", camera.getDetect().getMinAreaPercent());
    detect.put("mode", camera.getDetect().getMode());
    detect.put("ecoQuietSeconds", camera.getDetect().getEcoQuietSeconds());
    out.put("detect", detect);
    out.put("record", record(camera.getRecord() == null ? new RecordSpec() : camera.getRecord()));
    return out;
  }

  private static Map<String, Object> record(RecordSpec record) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", record.getMode());
    out.put("segmentSeconds", record.getSegmentSeconds());
    out.put("preRollSeconds", record.getPreRollSeconds());
    out.put("postRollSeconds", record.getPostRollSeconds());
    out.put("retainDays", record.getRetainDays());
    out.put("eventRetainDays", record.getEventRetainDays());
    if (record.getRecordUrl() != null) {
      out.put("recordUrl", record.getRecordUrl());
    }
    return out;
  }

  private static Map<String, Object> vision(VisionSpec vision) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("api", vision.getApi());
    out.put("endpoint", vision.getEndpoint());
    out.put("model", vision.getModel());
    out.put("timeoutSeconds", vision.getTimeoutSeconds());
    out.put("maxConcurrent", vision.getMaxConcurrent());
    out.put("queueSize", vision.getQueueSize());
    if (vision.getApiKeySecretRef() != null) {
      out.put("apiKeyFile", secretFile(vision.getApiKeySecretRef()));
    }
    return out;
  }

  private static Map<String, Object> alerts(AlertsSpec alerts) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cooldownSeconds", alerts.getCooldownSeconds());
    if (alerts.getTelegram() != null) {
      Map<String, Object> telegram = new LinkedHashMap<>();
      telegram.put("apiBaseUrl", alerts.getTelegram().getApiBaseUrl());
      telegram.put("chatId", alerts.getTelegram().getChatId());
      telegram.put("botTokenFile", secretFile(alerts.getTelegram().getBotTokenSecretRef()));
      out.put("telegram", telegram);
    }
    return out;
  }

  /** The broker's login and CA are file paths in the pod's Secret volumes, never values. */
  private static Map<String, Object> mqtt(MqttSpec mqtt) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("url", mqtt.getUrl());
    CredentialsRef credentials = mqtt.getCredentialsSecretRef();
    if (credentials != null) {
      out.put(
          "usernameFile",
          CameraMonitorResources.secretFilePath(
              credentials.getName(), credentials.getUsernameKey()));
      out.put(
          "passwordFile",
          CameraMonitorResources.secretFilePath(
              credentials.getName(), credentials.getPasswordKey()));
    }
    out.put("topicPrefix", mqtt.getTopicPrefix());
    out.put("homeAssistantDiscovery", mqtt.getHomeAssistantDiscovery());
    out.put("discoveryPrefix", mqtt.getDiscoveryPrefix());
    if (mqtt.getCaSecretRef() != null) {
      out.put("caFile", secretFile(mqtt.getCaSecretRef()));
    }
    return out;
  }

  private static Map<String, Object> storage(StorageSpec storage) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dataDir", CameraMonitorResources.DATA_DIR);
    out.put("retentionDays", storage == null ? DEFAULT_RETENTION_DAYS : storage.getRetentionDays());
    String size = storage == null ? EPHEMERAL_DATA_SIZE : storage.getSize();
    out.put(
        "maxBytes",
        Quantity.getAmountInBytes(new Quantity(size)).multiply(USABLE_SHARE).longValue());
    int minFree = storage == null ? DEFAULT_MIN_FREE_PERCENT : storage.getMinFreePercent();
    out.put("minFreePercent", minFree);
    out.put(
        "minFreeInodesPercent",
        storage == null ? DEFAULT_MIN_FREE_INODES_PERCENT : storage.getMinFreeInodesPercent());
    if (storage != null && storage.getRecordingsMaxSize() != null) {
      out.put(
          "recordingsMaxBytes",
          Quantity.getAmountInBytes(new Quantity(storage.getRecordingsMaxSize())).longValue());
    }
    if (storage != null && storage.getOffload() != null) {
      Map<String, Object> offload = new LinkedHashMap<>();
      offload.put("dir", CameraMonitorResources.OFFLOAD_DIR);
      offload.put("retainDays", storage.getOffload().getRetainDays());
      out.put("offload", offload);
    }
    return out;
  }

  private static String secretFile(SecretKeyRef ref) {
    return CameraMonitorResources.secretFilePath(ref.getName(), ref.getKey());
  }

  /** Every Secret key the pipeline reads, grouped by Secret, for the pod's Secret volumes. */
  public static Map<String, List<String>> secretKeys(CameraMonitorSpec spec) {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (CameraSpec camera : spec.getCameras()) {
      CredentialsRef credentials = camera.getCredentialsSecretRef();
      if (credentials != null) {
        addKey(keys, credentials.getName(), credentials.getUsernameKey());
        addKey(keys, credentials.getName(), credentials.getPasswordKey());
      }
    }
    if (spec.getVision() != null && spec.getVision().getApiKeySecretRef() != null) {
      addKey(keys, spec.getVision().getApiKeySecretRef());
    }
    if (spec.getAlerts().getTelegram() != null) {
      addKey(keys, spec.getAlerts().getTelegram().getBotTokenSecretRef());
    }
    MqttSpec mqtt = spec.getMqtt();
    if (mqtt != null && mqtt.getCredentialsSecretRef() != null) {
      addKey(
          keys,
          mqtt.getCredentialsSecretRef().getName(),
          mqtt.getCredentialsSecretRef().getUsernameKey());
      addKey(
          keys,
          mqtt.getCredentialsSecretRef().getName(),
          mqtt.getCredentialsSecretRef().getPasswordKey());
    }
    if (mqtt != null && mqtt.getCaSecretRef() != null) {
      addKey(keys, mqtt.getCaSecretRef());
    }
    return keys;
  }

  private static void addKey(Map<String, List<String>> keys, SecretKeyRef ref) {
    addKey(keys, ref.getName(), ref.getKey());
  }

  private static void addKey(Map<String, List<String>> keys, String secret, String key) {
    List<String> list = keys.computeIfAbsent(secret, s -> new ArrayList<>());
    if (!list.contains(key)) {
      list.add(key);
    }
  }
}
