package io.homenvr.operator.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Pings escalation.deadMansSwitchUrl after a healthy check, so silence means homenvr stopped. */
public class DeadMansSwitch {
  private final HttpClient http;
  private final Duration timeout;

  public DeadMansSwitch(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /** Fire and forget: a failed ping is the outside service's signal, not ours to retry. */
  public void ping(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).exceptionally(failure -> null);
  }
}
