package io.homenvr.pipeline.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.pipeline.config.PipelineConfig.TelegramConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Telegram Bot API {@code sendPhoto} as multipart/form-data on the JDK client (a bot library would
 * bring its own HTTP stack for one call). The token is part of the URL, so no message produced here
 * ever contains the URL.
 */
final class TelegramClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI sendPhoto;
  private final String chatId;

  TelegramClient(TelegramConfig config) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.sendPhoto = URI.create(config.apiBaseUrl() + "/bot" + config.botToken() + "/sendPhoto");
    this.chatId = config.chatId();
  }

  void sendPhoto(byte[] jpeg, String caption) throws TelegramException, InterruptedException {
    String boundary = "homenvr-" + UUID.randomUUID();
    HttpRequest request =
        HttpRequest.newBuilder(sendPhoto)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, jpeg, caption)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TelegramException(
          "Telegram unreachable: " + e.getClass().getSimpleName(), true, Optional.empty());
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() == 200 && body.path("ok").asBoolean(false)) {
      return;
    }
    String description =
        "Telegram HTTP " + response.statusCode() + ": " + body.path("description").asText("");
    int code = response.statusCode();
    if (code == 429) {
      long seconds = body.path("parameters").path("retry_after").asLong(1);
      throw new TelegramException(description, true, Optional.of(Duration.ofSeconds(seconds)));
    }
    // 4xx other than 429 (bad token, unknown chat, photo rejected) will fail the same way again
    throw new TelegramException(description, code >= 500 || code == 408, Optional.empty());
  }

  private byte[] multipart(String boundary, byte[] jpeg, String caption) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 1024);
    field(out, boundary, "chat_id", chatId);
    field(out, boundary, "caption", caption);
    write(
        out,
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"alert.jpg\""
            + "\r\nContent-Type: image/jpeg\r\n\r\n");
    out.writeBytes(jpeg);
    write(out, "\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
    write(
        out,
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n");
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
