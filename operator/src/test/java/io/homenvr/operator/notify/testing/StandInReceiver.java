package io.homenvr.operator.notify.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP endpoint on loopback that takes POSTs as ntfy ({@code POST /<topic>}, JSON answer) or a
 * webhook does: it answers 200, 503 (down) or 429 with {@code Retry-After} (throttling), and 401
 * when a request lacks the expected Authorization header. Keeps every accepted request.
 */
public final class StandInReceiver implements AutoCloseable {
  public enum Mode {
    OK,
    DOWN,
    THROTTLE
  }

  /** One accepted request; header names lower case. */
  public record Request(String path, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final String expectedAuthorization;
  private final List<Request> accepted = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.OK;
  private volatile int retryAfterSeconds = 1;

  /**
   * @param expectedAuthorization the Authorization header every request must carry, or null
   */
  public StandInReceiver(String expectedAuthorization) throws IOException {
    this.expectedAuthorization = expectedAuthorization;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public void retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = seconds;
  }

  /** Requests answered 200, in order. */
  public List<Request> accepted() {
    return List.copyOf(accepted);
  }

  /** Paths of requests refused (down, throttled or unauthorised), in order. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    String path = exchange.getRequestURI().getPath();
    if (!"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "{\"code\":40501,\"http\":405,\"error\":\"method not allowed\"}");
      return;
    }
    if (expectedAuthorization != null
        && !expectedAuthorization.equals(headers.get("authorization"))) {
      refused.add(path);
      respond(exchange, 401, "{\"code\":40101,\"http\":401,\"error\":\"unauthorized\"}");
      return;
    }
    switch (mode) {
      case DOWN -> {
        refused.add(path);
        respond(exchange, 503, "{\"code\":50301,\"http\":503,\"error\":\"server unavailable\"}");
      }
      case THROTTLE -> {
        refused.add(path);
        exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
        respond(exchange, 429, "{\"code\":42901,\"http\":429,\"error\":\"limit reached\"}");
      }
      case OK -> {
        accepted.add(new Request(path, headers, body));
        respond(exchange, 200, "{\"id\":\"m" + accepted.size() + "\",\"event\":\"message\"}");
      }
    }
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
