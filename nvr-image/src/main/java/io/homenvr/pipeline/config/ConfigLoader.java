package io.homenvr.pipeline.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.homenvr.pipeline.config.PipelineConfig.AlertsConfig;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import io.homenvr.pipeline.config.PipelineConfig.DetectConfig;
import io.homenvr.pipeline.config.PipelineConfig.MqttConfig;
import io.homenvr.pipeline.config.PipelineConfig.OffloadConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordConfig;
import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import io.homenvr.pipeline.config.PipelineConfig.ServerConfig;
import io.homenvr.pipeline.config.PipelineConfig.StorageConfig;
import io.homenvr.pipeline.config.PipelineConfig.TelegramConfig;
import io.homenvr.pipeline.config.PipelineConfig.Transport;
import io.homenvr.pipeline.config.PipelineConfig.VisionApi;
import io.homenvr.pipeline.config.PipelineConfig.VisionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code pipeline.yaml}: unknown fields are errors (a typo must not silently fall back to a
 * default), every problem is reported with its field path, secrets are read from files or env.
 */
public final class ConfigLoader {
  /** Environment variable that overrides {@code server.bindAddress} (the sandbox's pod IPs). */
  public static final String BIND_ADDRESS_ENV = "HOMENVR_BIND_ADDRESS";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final Function<String, String> env;
  private final List<String> errors = new ArrayList<>();

  private ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public static PipelineConfig load(Path file) {
    return load(file, System::getenv);
  }

  public static PipelineConfig load(Path file, Function<String, String> env) {
    RawConfig raw;
    try {
      raw = YAML.readValue(Files.readString(file), RawConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          file
              + ": unknown field '"
              + e.getPropertyName()
              + "' at "
              + e.getPathReference()
              + " (see docs/pipeline-config.md)");
    } catch (JacksonException e) {
      throw new ConfigException(file + ": " + e.getOriginalMessage() + " at " + e.getLocation());
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage(), e);
    }
    if (raw == null) {
      throw new ConfigException(file + ": empty config, at least one camera is needed");
    }
    return new ConfigLoader(env).build(raw);
  }

  private PipelineConfig build(RawConfig raw) {
    List<CameraConfig> cameras = new ArrayList<>();
    if (raw.cameras() == null || raw.cameras().isEmpty()) {
      errors.add("cameras: at least one camera is needed");
    } else {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < raw.cameras().size(); i++) {
        cameras.add(camera("cameras[" + i + "]", raw.cameras().get(i), names));
      }
    }
    Optional<VisionConfig> vision = Optional.ofNullable(raw.vision()).map(this::vision);
    RawAlerts alerts = raw.alerts() == null ? new RawAlerts(null, null) : raw.alerts();
    AlertsConfig alertsConfig =
        new AlertsConfig(
            Duration.ofSeconds(atLeast("alerts.cooldownSeconds", alerts.cooldownSeconds(), 60, 0)),
            Optional.ofNullable(alerts.telegram()).map(this::telegram));
    StorageConfig storage =
        storage(
            raw.storage() == null
                ? new RawStorage(null, null, null, null, null, null, null)
                : raw.storage());
    RawServer server = raw.server() == null ? new RawServer(null, null) : raw.server();
    int port = atLeast("server.port", server.port(), 8080, 0);
    if (port > 65535) {
      errors.add("server.port: " + port + " is not a TCP port (0-65535)");
    }
    String bind = env.apply(BIND_ADDRESS_ENV);
    if (bind == null || bind.isBlank()) {
      bind = server.bindAddress() == null ? "0.0.0.0" : server.bindAddress();
    }
    Duration summary =
        Duration.ofSeconds(atLeast("summaryIntervalSeconds", raw.summaryIntervalSeconds(), 60, 1));
    Optional<MqttConfig> mqtt = Optional.ofNullable(raw.mqtt()).map(this::mqtt);
    if (!errors.isEmpty()) {
      throw new ConfigException("invalid pipeline config:\n  " + String.join("\n  ", errors));
    }
    return new PipelineConfig(
        List.copyOf(cameras),
        vision,
        alertsConfig,
        storage,
        new ServerConfig(port, bind),
        summary,
        mqtt);
  }

  private CameraConfig camera(String at, RawCamera raw, Set<String> names) {
    String name = raw.name() == null ? "" : raw.name();
    if (!DNS_LABEL.matcher(name).matches()) {
      errors.add(at + ".name: '" + name + "' must be a DNS label (a-z, 0-9, '-', at most 63)");
    } else if (!names.add(name)) {
      errors.add(at + ".name: '" + name + "' is used by another camera; names must be unique");
    }
    String url = raw.url() == null ? "" : raw.url();
    if (!url.matches("(?i)(rtsp|rtsps|file)://.+")) {
      errors.add(
          at + ".url: '" + Urls.redact(url) + "' must be an rtsp:// (or rtsps://, file://) URL");
    } else if (!Urls.redact(url).equals(url)) {
      errors.add(at + ".url: must not contain credentials; use usernameFile/passwordFile");
    }
    Transport transport = Transport.TCP;
    if (raw.transport() != null) {
      try {
        transport = Transport.valueOf(raw.transport().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(at + ".transport: '" + raw.transport() + "' must be tcp or udp");
      }
    }
    RawDetect detect =
        raw.detect() == null ? new RawDetect(null, null, null, null, null) : raw.detect();
    double fps = detect.fps() == null ? 5 : detect.fps();
    if (fps <= 0 || fps > 30) {
      errors.add(at + ".detect.fps: " + fps + " must be > 0 and <= 30");
    }
    int width = detect.width() == null ? 640 : detect.width();
    if (width < 64 || width > 3840) {
      errors.add(at + ".detect.width: " + width + " must be between 64 and 3840");
    }
    double minArea = detect.minAreaPercent() == null ? 0.5 : detect.minAreaPercent();
    if (minArea <= 0 || minArea >= 100) {
      errors.add(at + ".detect.minAreaPercent: " + minArea + " must be > 0 and < 100");
    }
    DecodeMode decode = DetectConfig.DEFAULT_DECODE;
    if (detect.mode() != null) {
      try {
        decode = DecodeMode.valueOf(detect.mode().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(at + ".detect.mode: '" + detect.mode() + "' must be full or eco");
      }
    }
    int quiet =
        between(
            at + ".detect.ecoQuietSeconds",
            detect.ecoQuietSeconds(),
            (int) DetectConfig.DEFAULT_ECO_QUIET.toSeconds(),
            1,
            3600);
    return new CameraConfig(
        name,
        url,
        transport,
        secret(at + ".username", raw.usernameFile(), raw.usernameEnv(), false),
        secret(at + ".password", raw.passwordFile(), raw.passwordEnv(), false),
        new DetectConfig(fps, width, minArea, decode, Duration.ofSeconds(quiet)),
        record(at + ".record", raw.record()));
  }

  private RecordConfig record(String at, RawRecord raw) {
    if (raw == null) {
      return RecordConfig.DEFAULTS;
    }
    RecordConfig defaults = RecordConfig.DEFAULTS;
    RecordMode mode = defaults.mode();
    if (raw.mode() != null) {
      try {
        mode = RecordMode.valueOf(raw.mode().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(at + ".mode: '" + raw.mode() + "' must be continuous, events or off");
      }
    }
    int segment = between(at + ".segmentSeconds", raw.segmentSeconds(), 10, 2, 60);
    int preRoll = between(at + ".preRollSeconds", raw.preRollSeconds(), 5, 0, 60);
    int postRoll = between(at + ".postRollSeconds", raw.postRollSeconds(), 5, 0, 60);
    int retain = between(at + ".retainDays", raw.retainDays(), 7, 1, 3650);
    int eventRetain = between(at + ".eventRetainDays", raw.eventRetainDays(), 30, 1, 3650);
    Optional<String> recordUrl = Optional.ofNullable(raw.recordUrl());
    recordUrl.ifPresent(
        url -> {
          if (!url.matches("(?i)(rtsp|rtsps|file)://.+")) {
            errors.add(
                at
                    + ".recordUrl: '"
                    + Urls.redact(url)
                    + "' must be an rtsp:// (or rtsps://, file://) URL");
          } else if (!Urls.redact(url).equals(url)) {
            errors.add(at + ".recordUrl: must not contain credentials; the camera's login is used");
          }
        });
    return new RecordConfig(
        mode,
        Duration.ofSeconds(segment),
        Duration.ofSeconds(preRoll),
        Duration.ofSeconds(postRoll),
        Duration.ofDays(retain),
        Duration.ofDays(eventRetain),
        recordUrl);
  }

  private int between(String field, Integer value, int defaultValue, int min, int max) {
    int v = value == null ? defaultValue : value;
    if (v < min || v > max) {
      errors.add(field + ": " + v + " must be between " + min + " and " + max);
    }
    return v;
  }

  private VisionConfig vision(RawVision raw) {
    VisionApi api = VisionApi.OLLAMA;
    if (raw.api() != null) {
      try {
        api = VisionApi.valueOf(raw.api().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add("vision.api: '" + raw.api() + "' must be ollama or openai");
      }
    }
    String endpoint = raw.endpoint() == null ? "" : raw.endpoint().replaceAll("/+$", "");
    if (!endpoint.matches("https?://.+")) {
      errors.add("vision.endpoint: '" + endpoint + "' must be an http(s):// URL");
    }
    if (raw.model() == null || raw.model().isBlank()) {
      errors.add("vision.model: required, e.g. gemma3:27b");
    }
    return new VisionConfig(
        api,
        endpoint,
        raw.model(),
        Duration.ofSeconds(atLeast("vision.timeoutSeconds", raw.timeoutSeconds(), 60, 1)),
        atLeast("vision.maxConcurrent", raw.maxConcurrent(), 1, 1),
        atLeast("vision.queueSize", raw.queueSize(), 8, 1),
        secret("vision.apiKey", raw.apiKeyFile(), raw.apiKeyEnv(), false));
  }

  private TelegramConfig telegram(RawTelegram raw) {
    String base =
        raw.apiBaseUrl() == null
            ? "https://api.telegram.org"
            : raw.apiBaseUrl().replaceAll("/+$", "");
    if (!base.matches("https?://.+")) {
      errors.add("alerts.telegram.apiBaseUrl: '" + base + "' must be an http(s):// URL");
    }
    if (raw.chatId() == null || raw.chatId().isBlank()) {
      errors.add("alerts.telegram.chatId: required (the chat or channel id, quoted)");
    }
    String token =
        secret("alerts.telegram.botToken", raw.botTokenFile(), raw.botTokenEnv(), true).orElse("");
    return new TelegramConfig(base, raw.chatId(), token);
  }

  private StorageConfig storage(RawStorage raw) {
    Path dataDir = Path.of(raw.dataDir() == null ? "/data" : raw.dataDir());
    long maxBytes = raw.maxBytes() == null ? 10L * 1024 * 1024 * 1024 : raw.maxBytes();
    if (maxBytes < 1024 * 1024) {
      errors.add("storage.maxBytes: " + maxBytes + " is below 1 MiB");
    }
    return new StorageConfig(
        dataDir,
        Duration.ofDays(atLeast("storage.retentionDays", raw.retentionDays(), 7, 1)),
        maxBytes,
        percent("storage.minFreePercent", raw.minFreePercent(), 10),
        percent("storage.minFreeInodesPercent", raw.minFreeInodesPercent(), 5),
        recordingsMaxBytes(raw.recordingsMaxBytes()),
        Optional.ofNullable(raw.offload()).map(this::offload));
  }

  private OffloadConfig offload(RawOffload raw) {
    if (raw.dir() == null || raw.dir().isBlank()) {
      errors.add("storage.offload.dir: required, the second volume's mount path, e.g. /offload");
    }
    int days = between("storage.offload.retainDays", raw.retainDays(), 90, 1, 3650);
    return new OffloadConfig(Path.of(raw.dir() == null ? "" : raw.dir()), Duration.ofDays(days));
  }

  private MqttConfig mqtt(RawMqtt raw) {
    String url = raw.url() == null ? "" : raw.url().replaceAll("/+$", "");
    // mqtt:// and mqtts:// are what users write; Paho knows them as tcp:// and ssl://
    url = url.replaceFirst("(?i)^mqtts://", "ssl://").replaceFirst("(?i)^mqtt://", "tcp://");
    if (!url.matches("(?i)(tcp|ssl)://[^/@]+")) {
      errors.add(
          "mqtt.url: '"
              + Urls.redact(url)
              + "' must be mqtt://host:port (or mqtts://, tcp://, ssl://), without credentials");
    }
    String prefix = raw.topicPrefix() == null ? "homenvr" : raw.topicPrefix();
    if (!validTopicPrefix(prefix)) {
      errors.add(
          "mqtt.topicPrefix: '"
              + prefix
              + "' must be non-empty, without the wildcards + and #, and without a leading or"
              + " trailing /");
    }
    String discoveryPrefix =
        raw.discoveryPrefix() == null ? "homeassistant" : raw.discoveryPrefix();
    if (!validTopicPrefix(discoveryPrefix)) {
      errors.add(
          "mqtt.discoveryPrefix: '"
              + discoveryPrefix
              + "' must be non-empty, without + and #, and without a leading or trailing /");
    }
    return new MqttConfig(
        url,
        secret("mqtt.username", raw.usernameFile(), raw.usernameEnv(), false),
        secret("mqtt.password", raw.passwordFile(), raw.passwordEnv(), false),
        prefix,
        Optional.ofNullable(raw.caFile()).map(Path::of),
        raw.homeAssistantDiscovery() == null || raw.homeAssistantDiscovery(),
        discoveryPrefix);
  }

  /** The same rule the CRD enforces for {@code spec.mqtt.topicPrefix}. */
  static boolean validTopicPrefix(String prefix) {
    return !prefix.isEmpty()
        && !prefix.contains("+")
        && !prefix.contains("#")
        && !prefix.startsWith("/")
        && !prefix.endsWith("/");
  }

  private OptionalLong recordingsMaxBytes(Long value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    if (value < 64L * 1024 * 1024) {
      errors.add("storage.recordingsMaxBytes: " + value + " is below 64 MiB");
    }
    return OptionalLong.of(value);
  }

  private Optional<String> secret(String field, String file, String envName, boolean required) {
    if (file != null && envName != null) {
      errors.add(field + "File/" + field + "Env: give one of them, not both");
      return Optional.empty();
    }
    if (file != null) {
      try {
        return Optional.of(Files.readString(Path.of(file)).trim());
      } catch (IOException e) {
        errors.add(field + "File: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        return Optional.empty();
      }
    }
    if (envName != null) {
      String value = env.apply(envName);
      if (value == null || value.isBlank()) {
        errors.add(field + "Env: environment variable " + envName + " is not set");
        return Optional.empty();
      }
      return Optional.of(value.trim());
    }
    if (required) {
      errors.add(field + "File or " + field + "Env: required");
    }
    return Optional.empty();
  }

  private int atLeast(String field, Integer value, int defaultValue, int min) {
    int v = value == null ? defaultValue : value;
    if (v < min) {
      errors.add(field + ": " + v + " must be at least " + min);
    }
    return v;
  }

  private double percent(String field, Double value, double defaultValue) {
    double v = value == null ? defaultValue : value;
    if (v < 0 || v >= 100) {
      errors.add(field + ": " + v + " must be between 0 and 100");
    }
    return v;
  }

  record RawConfig(
      List<RawCamera> cameras,
      RawVision vision,
      RawAlerts alerts,
      RawStorage storage,
      RawServer server,
      Integer summaryIntervalSeconds,
      RawMqtt mqtt) {}

  record RawMqtt(
      String url,
      String usernameFile,
      String usernameEnv,
      String passwordFile,
      String passwordEnv,
      String topicPrefix,
      String caFile,
      Boolean homeAssistantDiscovery,
      String discoveryPrefix) {}

  record RawCamera(
      String name,
      String url,
      String transport,
      String usernameFile,
      String usernameEnv,
      String passwordFile,
      String passwordEnv,
      RawDetect detect,
      RawRecord record) {}

  record RawRecord(
      String mode,
      Integer segmentSeconds,
      Integer preRollSeconds,
      Integer postRollSeconds,
      Integer retainDays,
      Integer eventRetainDays,
      String recordUrl) {}

  record RawDetect(
      Double fps, Integer width, Double minAreaPercent, String mode, Integer ecoQuietSeconds) {}

  record RawVision(
      String api,
      String endpoint,
      String model,
      Integer timeoutSeconds,
      Integer maxConcurrent,
      Integer queueSize,
      String apiKeyFile,
      String apiKeyEnv) {}

  record RawAlerts(Integer cooldownSeconds, RawTelegram telegram) {}

  record RawTelegram(String apiBaseUrl, String chatId, String botTokenFile, String botTokenEnv) {}

  record RawStorage(
      String dataDir,
      Integer retentionDays,
      Long maxBytes,
      Double minFreePercent,
      Double minFreeInodesPercent,
      Long recordingsMaxBytes,
      RawOffload offload) {}

  record RawOffload(String dir, Integer retainDays) {}

  record RawServer(Integer port, String bindAddress) {}
}
