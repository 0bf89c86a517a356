package io.homenvr.operator.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Publishes to an ntfy topic as ntfy's docs describe: {@code POST <server>/<topic>} with the
 * message as the body and {@code Title}, {@code Priority} and {@code Tags} headers; an access token
 * goes as {@code Authorization: Bearer}. The token is never logged nor part of an error.
 */
public class NtfyClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public NtfyClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * One notification.
   *
   * @param title ASCII only: it travels in a header
   * @param priority 1 (min) to 5 (max), 3 is ntfy's default
   * @param tags ntfy tags; those named like emoji short codes show as emoji
   */
  public record Message(String title, int priority, String tags, String text) {}

  public SendResult publish(String serverUrl, String topic, String token, Message message) {
    String base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/" + topic))
            .timeout(timeout)
            .header("Content-Type", "text/plain; charset=utf-8")
            .header("Title", message.title())
            .header("Priority", Integer.toString(message.priority()))
            .header("Tags", message.tags())
            .POST(HttpRequest.BodyPublishers.ofString(message.text(), StandardCharsets.UTF_8));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SendResult.failed(
          "ntfy unreachable at " + SendResult.origin(base) + ": " + e.getClass().getSimpleName(),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.failed("interrupted", null);
    }
    return SendResult.ofHttp(response, error(response.body()));
  }

  /** ntfy's error JSON: {@code {"code":40301,"http":403,"error":"forbidden"}}. */
  private static String error(String body) {
    try {
      JsonNode json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
      return json.path("error").asText("");
    } catch (IOException notJson) {
      return "";
    }
  }
}
