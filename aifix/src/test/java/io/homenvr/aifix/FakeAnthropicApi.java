package io.homenvr.aifix;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A stand-in for the Anthropic Messages API on loopback, enough for the real Claude Code CLI: each
 * request is answered with the scripted turn whose index is the number of assistant messages in the
 * conversation so far, streamed as server-sent events the way the API streams them.
 */
final class FakeAnthropicApi implements AutoCloseable {
  /** One content block of an answer: text, or a tool call with its input as JSON. */
  record Block(String text, String toolName, String inputJson) {
    static Block text(String text) {
      return new Block(text, null, null);
    }

    static Block tool(String name, String inputJson) {
      return new Block(null, name, inputJson);
    }
  }

  private static final Pattern ASSISTANT = Pattern.compile("\"role\"\\s*:\\s*\"assistant\"");

  private final HttpServer server;
  private final List<List<Block>> turns;
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeAnthropicApi(List<List<Block>> turns) throws IOException {
    this.turns = turns;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    if (!"POST".equals(exchange.getRequestMethod()) || !path.equals("/v1/messages")) {
      byte[] ok =
          (path.startsWith("/v1/models") ? "{\"data\":[],\"has_more\":false}" : "{}")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(
          200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : ok.length);
      if (!"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseBody().write(ok);
      }
      exchange.close();
      return;
    }
    requests.add(body);
    int turn = (int) ASSISTANT.matcher(body).results().count();
    List<Block> blocks =
        turn < turns.size() ? turns.get(turn) : List.of(Block.text("(no more scripted turns)"));
    exchange.getResponseHeaders().add("content-type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      event(
          out,
          "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_"
              + turn
              + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-fake\","
              + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":100,\"output_tokens\":1}}}");
      boolean tools = false;
      for (int i = 0; i < blocks.size(); i++) {
        Block block = blocks.get(i);
        if (block.toolName() == null) {
          event(
              out,
              "content_block_start",
              "{\"type\":\"content_block_start\",\"index\":"
                  + i
                  + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
          event(
              out,
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":"
                  + i
                  + ",\"delta\":{\"type\":\"text_delta\",\"text\":"
                  + quote(block.text())
                  + "}}");
        } else {
          tools = true;
          event(
              out,
              "content_block_start",
              "{\"type\":\"content_block_start\",\"index\":"
                  + i
                  + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_"
                  + turn
                  + "_"
                  + i
                  + "\",\"name\":"
                  + quote(block.toolName())
                  + ",\"input\":{}}}");
          event(
              out,
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":"
                  + i
                  + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                  + quote(block.inputJson())
                  + "}}");
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + i + "}");
      }
      event(
          out,
          "message_delta",
          "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
              + (tools ? "tool_use" : "end_turn")
              + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}");
      event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
  }

  private static void event(OutputStream out, String name, String data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
