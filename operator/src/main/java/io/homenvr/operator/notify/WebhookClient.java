package io.homenvr.operator.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs a report as JSON to a webhook. Errors name only the webhook's scheme and host: its path may
 * be the secret (Home Assistant's {@code /api/webhook/<id>}), and the token is never in one.
 */
public class WebhookClient {
  private final HttpClient http;
  private final Duration timeout;

  public WebhookClient(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * @param reportId sent as {@code Idempotency-Key}: a receiver can drop the one resend an operator
   *     stopping between the answer and its status write can cause
   * @param header the header carrying the token, or null without one
   */
  public SendResult post(
      String url, String reportId, String json, String header, String headerValue) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", reportId)
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (header != null && headerValue != null) {
      request.header(header, headerValue);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return SendResult.failed(
          "webhook unreachable at " + SendResult.origin(url) + ": " + e.getClass().getSimpleName(),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.failed("interrupted", null);
    }
    return SendResult.ofHttp(response, "from webhook at " + SendResult.origin(url));
  }
}
