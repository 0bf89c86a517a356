package io.homenvr.sandbox.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Telegram Bot API on loopback: {@code sendMessage} and {@code sendPhoto} (JSON,
 * form or multipart bodies), answered like Telegram, or with a 429 and {@code retry_after}, a 500,
 * or not at all (down), on demand. Every delivered message is kept and printed.
 */
public final class FakeTelegram implements AutoCloseable {
  /** How the fake answers. */
  public enum Mode {
    OK,
    RATE_LIMITED,
    SERVER_ERROR,
    DOWN
  }

  /** One message Telegram accepted. */
  /** Every request that reached the stand-in, whatever it was answered. */
  public record Request(Instant time, String method, String chatId, int status) {}

  public record Message(Instant time, String method, String chatId, String text) {
    public boolean photo() {
      return method.equals("sendPhoto");
    }
  }

  private static final Pattern METHOD = Pattern.compile("^/bot([^/]+)/(\\w+)$");
  public static final int RETRY_AFTER_SECONDS = 3;

  private final ObjectMapper json = new ObjectMapper();
  private final List<Message> delivered = new CopyOnWriteArrayList<>();
  private final Consumer<Message> printer;
  private final int port;
  private volatile Mode mode = Mode.OK;
  private volatile int rejected;
  private final List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
  private HttpServer server;

  private FakeTelegram(int port, Consumer<Message> printer) {
    this.port = port;
    this.printer = printer;
  }

  public static FakeTelegram start(Consumer<Message> printer) throws IOException {
    FakeTelegram telegram = new FakeTelegram(Ports.free(), printer);
    telegram.listen();
    return telegram;
  }

  private synchronized void listen() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    // one thread per request: a wedged client half-way through a photo must not block the rest
    server.setExecutor(Ports.daemonThreads());
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to put in {@code apiBaseUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public synchronized void mode(Mode next) throws IOException {
    if (next == Mode.DOWN && server != null) {
      server.stop(0);
      server = null;
    } else if (next != Mode.DOWN && server == null) {
      listen();
    }
    mode = next;
  }

  public Mode mode() {
    return mode;
  }

  public List<Message> delivered() {
    return List.copyOf(delivered);
  }

  /** Requests answered with 429 or 500 so far. */
  public int rejected() {
    return rejected;
  }

  /** Every request so far, in arrival order: when, which chat, what it was answered. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void record(String method, Map<String, String> fields, int status) {
    requests.add(new Request(Instant.now(), method, fields.getOrDefault("chat_id", ""), status));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher method = METHOD.matcher(exchange.getRequestURI().getPath());
      if (!method.matches()) {
        respond(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        return;
      }
      Map<String, String> fields = fields(exchange);
      switch (mode) {
        case RATE_LIMITED -> {
          record(method.group(2), fields, 429);
          rejected++;
          respond(
              exchange,
              429,
              "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                  + RETRY_AFTER_SECONDS
                  + "\",\"parameters\":{\"retry_after\":"
                  + RETRY_AFTER_SECONDS
                  + "}}");
          return;
        }
        case SERVER_ERROR -> {
          record(method.group(2), fields, 500);
          rejected++;
          respond(
              exchange,
              500,
              "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");
          return;
        }
        default -> {}
      }
      String name = method.group(2);
      if (!name.equals("sendMessage") && !name.equals("sendPhoto") && !name.equals("getMe")) {
        respond(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        return;
      }
      if (name.equals("getMe")) {
        respond(
            exchange,
            200,
            "{\"ok\":true,\"result\":{\"id\":1,\"is_bot\":true,\"first_name\":\"homenvr\"}}");
        return;
      }
      record(name, fields, 200);
      String text = fields.getOrDefault(name.equals("sendPhoto") ? "caption" : "text", "");
      Message message = new Message(Instant.now(), name, fields.getOrDefault("chat_id", ""), text);
      delivered.add(message);
      printer.accept(message);
      respond(
          exchange,
          200,
          "{\"ok\":true,\"result\":{\"message_id\":"
              + delivered.size()
              + ",\"date\":"
              + Instant.now().getEpochSecond()
              + ",\"chat\":{\"id\":0}}}");
    }
  }

  /** The request's fields, whichever encoding the client chose. */
  private Map<String, String> fields(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    Map<String, String> fields = new HashMap<>();
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      fields.putAll(form(query));
    }
    if (contentType.startsWith("application/json")) {
      JsonNode node = json.readTree(body);
      node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
    } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
      fields.putAll(form(new String(body, StandardCharsets.UTF_8)));
    } else if (contentType.startsWith("multipart/form-data")) {
      fields.putAll(multipart(body, contentType));
    }
    return fields;
  }

  private static Map<String, String> form(String encoded) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : encoded.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2) {
        fields.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  /** The text parts of a multipart body (the photo's bytes are skipped). */
  private static Map<String, String> multipart(byte[] body, String contentType) {
    Map<String, String> fields = new HashMap<>();
    String boundary = contentType.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1");
    String text = new String(body, StandardCharsets.ISO_8859_1);
    List<String> parts = new ArrayList<>(List.of(text.split("--" + Pattern.quote(boundary))));
    for (String part : parts) {
      int headerEnd = part.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        continue;
      }
      String headers = part.substring(0, headerEnd);
      Matcher name = Pattern.compile("name=\"([^\"]+)\"").matcher(headers);
      if (!name.find() || headers.contains("filename=")) {
        continue;
      }
      String value = part.substring(headerEnd + 4).replaceFirst("\r\n$", "");
      fields.put(
          name.group(1),
          new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }
}
