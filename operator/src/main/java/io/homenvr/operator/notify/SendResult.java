package io.homenvr.operator.notify;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a channel said about one report: delivered, come back after {@code retryAfter}, or failed
 * with a reason. The reason never holds a token or a URL's path (a webhook path can be a secret).
 */
public record SendResult(boolean delivered, Duration retryAfter, String error) {
  static SendResult ok() {
    return new SendResult(true, null, null);
  }

  static SendResult failed(String error, Duration retryAfter) {
    return new SendResult(false, retryAfter, error);
  }

  /** A plain HTTP answer: any 2xx confirms; a Retry-After in seconds is honoured. */
  static SendResult ofHttp(HttpResponse<String> response, String detail) {
    if (response.statusCode() / 100 == 2) {
      return ok();
    }
    Duration retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .filter(v -> v.trim().matches("[0-9]{1,6}"))
            .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
            .filter(d -> !d.isZero())
            .orElse(null);
    return failed(
        "HTTP " + response.statusCode() + (detail == null || detail.isBlank() ? "" : ": " + detail),
        retryAfter);
  }

  /** Scheme, host and port of a URL, nothing else. */
  static String origin(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme() + "://" + uri.getAuthority();
    } catch (IllegalArgumentException e) {
      return "(an invalid URL)";
    }
  }
}
