package io.homenvr.operator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The chart's {@code helm test}: GETs the operator's {@code /readyz} and exits 0 on 200, 1
 * otherwise. It ships in the operator image, so the test needs no other image (air-gapped nodes).
 */
public final class ReadyzCheck {
  private ReadyzCheck() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: ReadyzCheck http://<operator>:<port>/readyz");
      System.exit(2);
    }
    System.exit(check(URI.create(args[0])) ? 0 : 1);
  }

  static boolean check(URI uri) throws InterruptedException {
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                  HttpResponse.BodyHandlers.ofString());
      System.out.println(uri + ": " + response.statusCode() + " " + response.body().strip());
      return response.statusCode() == 200;
    } catch (java.io.IOException e) {
      System.out.println(uri + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
  }
}
