package io.homenvr.operator.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The one Bot API call homenvr needs, {@code sendMessage}, on the JDK HTTP client (a bot library
 * would bring a second HTTP stack for one POST). The token is used for the request only: never
 * logged, never part of an error message.
 */
public class TelegramClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public TelegramClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  public SendResult sendMessage(String apiBaseUrl, String token, String chatId, String text) {
    String body;
    try {
      body =
          JSON.writeValueAsString(
              Map.of("chat_id", chatId, "text", text, "disable_web_page_preview", true));
    } catch (IOException impossible) {
      return SendResult.failed("could not encode the message", null);
    }
    String base =
        apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/sendMessage"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SendResult.failed(
          "Telegram unreachable at " + base + ": " + e.getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.failed("interrupted", null);
    }
    return interpret(response.statusCode(), response.body());
  }

  static SendResult interpret(int statusCode, String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException notJson) {
      return SendResult.failed("HTTP " + statusCode + " without a Bot API answer", null);
    }
    if (statusCode == 200 && json.path("ok").asBoolean(false)) {
      return SendResult.ok();
    }
    Duration retryAfter = null;
    JsonNode after = json.path("parameters").path("retry_after");
    if (after.canConvertToLong() && after.asLong() > 0) {
      retryAfter = Duration.ofSeconds(after.asLong());
    }
    String description = json.path("description").asText("");
    return SendResult.failed(
        "HTTP " + statusCode + (description.isEmpty() ? "" : ": " + description), retryAfter);
  }
}
