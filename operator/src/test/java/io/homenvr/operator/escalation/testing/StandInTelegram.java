package io.homenvr.operator.escalation.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The Bot API's sendMessage on loopback: answers ok, 500, or 429 with retry_after. */
public final class StandInTelegram implements AutoCloseable {
  public enum Mode {
    OK,
    DOWN,
    THROTTLE
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final String token;
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile Mode mode = Mode.OK;

  public StandInTelegram(String token) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String apiBaseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** Texts Telegram accepted, in order. */
  public List<String> delivered() {
    return List.copyOf(delivered);
  }

  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/bot" + token + "/sendMessage")
        || !"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    switch (mode) {
      case DOWN -> {
        refused.incrementAndGet();
        respond(
            exchange,
            500,
            "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");
      }
      case THROTTLE -> {
        refused.incrementAndGet();
        respond(
            exchange,
            429,
            "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\",\"parameters\":{\"retry_after\":1}}");
      }
      case OK -> {
        if (!"4242".equals(body.path("chat_id").asText())) {
          respond(
              exchange,
              400,
              "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
          return;
        }
        delivered.add(body.path("text").asText());
        respond(
            exchange,
            200,
            "{\"ok\":true,\"result\":{\"message_id\":"
                + delivered.size()
                + ",\"chat\":{\"id\":4242}}}");
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
