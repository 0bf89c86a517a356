package io.homenvr.pipeline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The whole {@code pipeline.yaml} (docs/pipeline-config.md), validated, secrets resolved. */
public record PipelineConfig(
    List<CameraConfig> cameras,
    Optional<VisionConfig> vision,
    AlertsConfig alerts,
    StorageConfig storage,
    ServerConfig server,
    Duration summaryInterval,
    Optional<MqttConfig> mqtt) {

  /** One camera; {@code username}/{@code password} are resolved secrets, never logged. */
  public record CameraConfig(
      String name,
      String url,
      Transport transport,
      Optional<String> username,
      Optional<String> password,
      DetectConfig detect,
      RecordConfig record) {

    @Override
    public String toString() {
      return "CameraConfig[name=" + name + ", url=" + Urls.redact(url) + "]";
    }
  }

  public enum Transport {
    TCP,
    UDP
  }

  /**
   * Motion detection on downscaled grey frames; {@code decode} is what the camera decodes, and in
   * eco mode {@code ecoQuiet} is how long a scene must be still before decoding drops back to
   * keyframes only.
   */
  public record DetectConfig(
      double fps, int width, double minAreaPercent, DecodeMode decode, Duration ecoQuiet) {
    public static final DecodeMode DEFAULT_DECODE = DecodeMode.ECO;
    public static final Duration DEFAULT_ECO_QUIET = Duration.ofSeconds(10);
  }

  public enum DecodeMode {
    /** Every frame decoded, always. */
    FULL,
    /** Keyframes only while the scene is still; every frame from the keyframe after motion. */
    ECO
  }

  public enum RecordMode {
    /** Every segment is kept for {@code retainDays}. */
    CONTINUOUS,
    /** Only segments that overlap an event (with its pre and post roll) are kept. */
    EVENTS,
    OFF
  }

  /**
   * Recording by stream copy; {@code recordUrl} (the camera's main stream, without credentials) is
   * recorded instead of {@code url} when set, by a reader that never decodes.
   */
  public record RecordConfig(
      RecordMode mode,
      Duration segment,
      Duration preRoll,
      Duration postRoll,
      Duration retain,
      Duration eventRetain,
      Optional<String> recordUrl) {

    public static final RecordConfig DEFAULTS =
        new RecordConfig(
            RecordMode.CONTINUOUS,
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofDays(7),
            Duration.ofDays(30),
            Optional.empty());

    public static final RecordConfig OFF =
        new RecordConfig(
            RecordMode.OFF,
            DEFAULTS.segment(),
            DEFAULTS.preRoll(),
            DEFAULTS.postRoll(),
            DEFAULTS.retain(),
            DEFAULTS.eventRetain(),
            Optional.empty());

    public boolean enabled() {
      return mode != RecordMode.OFF;
    }
  }

  public enum VisionApi {
    OLLAMA,
    OPENAI
  }

  /** The remote vision LLM; {@code apiKey} is a resolved secret, never logged. */
  public record VisionConfig(
      VisionApi api,
      String endpoint,
      String model,
      Duration timeout,
      int maxConcurrent,
      int queueSize,
      Optional<String> apiKey) {

    @Override
    public String toString() {
      return "VisionConfig[api=" + api + ", endpoint=" + endpoint + ", model=" + model + "]";
    }
  }

  public record AlertsConfig(Duration cooldown, Optional<TelegramConfig> telegram) {}

  /** Telegram Bot API target; {@code botToken} is a resolved secret, never logged. */
  public record TelegramConfig(String apiBaseUrl, String chatId, String botToken) {

    @Override
    public String toString() {
      return "TelegramConfig[apiBaseUrl=" + apiBaseUrl + ", chatId=" + chatId + "]";
    }
  }

  public record StorageConfig(
      Path dataDir,
      Duration retention,
      long maxBytes,
      double minFreePercent,
      double minFreeInodesPercent,
      OptionalLong recordingsMaxBytes,
      Optional<OffloadConfig> offload) {}

  /**
   * A second volume (a NAS claim) that closed event clips are copied to, with its own retention.
   */
  public record OffloadConfig(Path dir, Duration retain) {}

  public record ServerConfig(int port, String bindAddress) {}

  /**
   * The MQTT broker states and detections are published to ({@code tcp://}, or {@code ssl://} for
   * TLS, trusting {@code caFile} when given); {@code username}/{@code password} are resolved
   * secrets, never logged.
   */
  public record MqttConfig(
      String url,
      Optional<String> username,
      Optional<String> password,
      String topicPrefix,
      Optional<Path> caFile,
      boolean homeAssistantDiscovery,
      String discoveryPrefix) {

    @Override
    public String toString() {
      return "MqttConfig[url=" + url + ", topicPrefix=" + topicPrefix + "]";
    }
  }
}
