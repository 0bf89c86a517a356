package io.homenvr.pipeline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The whole {@code pipeline.yaml} (docs/pipeline-config.md), validated, secrets resolved. */
public record PipelineConfig(
    List<CameraConfig> cameras,
    Optional<VisionConfig> vision,
    AlertsConfig alerts,
    StorageConfig storage,
    ServerConfig server,
    Duration summaryInterval) {

  /** One camera; {@code username}/{@code password} are resolved secrets, never logged. */
  public record CameraConfig(
      String name,
      String url,
      Transport transport,
      Optional<String> username,
      Optional<String> password,
      DetectConfig detect) {

    @Override
    public String toString() {
      return "CameraConfig[name=" + name + ", url=" + Urls.redact(url) + "]";
    }
  }

  public enum Transport {
    TCP,
    UDP
  }

  public record DetectConfig(double fps, int width, double minAreaPercent) {}

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
      double minFreeInodesPercent) {}

  public record ServerConfig(int port, String bindAddress) {}
}
