package io.homenvr.sandbox.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A stand-in for Ollama on loopback: {@code /api/tags} lists the model, {@code /api/chat} answers
 * every image with "a person" (non-streaming, as the pipeline asks). Stopping it closes the port,
 * as a powered-off GPU box would.
 */
public final class FakeOllama implements AutoCloseable {
  public static final String MODEL = "gemma3:27b";
  // what the pipeline's JSON schema (the request's "format") asks for
  private static final String ANSWER =
      "{\\\"seen\\\": [\\\"person\\\"], \\\"alert\\\": true,"
          + " \\\"description\\\": \\\"a person walking across the frame\\\"}";

  private final ObjectMapper json = new ObjectMapper();
  private final int port;
  private final Consumer<String> printer;
  private HttpServer server;

  private FakeOllama(int port, Consumer<String> printer) {
    this.port = port;
    this.printer = printer;
  }

  public static FakeOllama start(Consumer<String> printer) throws IOException {
    FakeOllama ollama = new FakeOllama(Ports.free(), printer);
    ollama.up();
    return ollama;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public synchronized boolean running() {
    return server != null;
  }

  public synchronized void up() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    // one thread per request, as the real server: a wedged client must not block the others
    server.setExecutor(Ports.daemonThreads());
    server.createContext("/api/tags", this::tags);
    server.createContext("/api/chat", this::chat);
    server.createContext(
        "/", exchange -> respond(exchange, 200, "Ollama is running", "text/plain"));
    server.start();
  }

  public synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  private void tags(HttpExchange exchange) throws IOException {
    respond(
        exchange,
        200,
        "{\"models\":[{\"name\":\""
            + MODEL
            + "\",\"model\":\""
            + MODEL
            + "\",\"modified_at\":\""
            + Instant.now()
            + "\",\"size\":17000000000}]}",
        "application/json");
  }

  private void chat(HttpExchange exchange) throws IOException {
    JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
    int images = 0;
    for (JsonNode message : request.path("messages")) {
      images += message.path("images").size();
    }
    printer.accept("ollama: /api/chat with " + images + " image(s) -> a person");
    respond(
        exchange,
        200,
        "{\"model\":\""
            + request.path("model").asText(MODEL)
            + "\",\"created_at\":\""
            + Instant.now()
            + "\",\"message\":{\"role\":\"assistant\",\"content\":\""
            + ANSWER
            + "\"},\"done\":true,\"done_reason\":\"stop\"}",
        "application/json");
  }

  private static void respond(HttpExchange exchange, int code, String body, String type)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    down();
  }
}
