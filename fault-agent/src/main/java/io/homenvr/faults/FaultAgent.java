package io.homenvr.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Loaded into the pipeline's JVM by the sandbox's node ({@code -javaagent}): puts a hook at the
 * start of every frame the capture threads read ({@code RtspReader.nextFrame}) and of every packet
 * the recorders write ({@code Mp4Output.write}), and serves the faults on the pod's own address
 * ({@code HOMENVR_BIND_ADDRESS}), port {@value #PORT}:
 *
 * <pre>
 *   POST /faults/deadlock?camera=gate       that camera's thread blocks forever on a lock
 *   POST /faults/wedge-recorder?camera=gate that camera's muxer blocks forever in a write (a hung
 *                                           disk or NFS mount): frames flow, segments stop
 *   POST /faults/spin?threads=2             every camera stops, threads burn CPU
 *   POST /faults/silence                    nothing is logged any more
 *   POST /faults/errors?kind=serious|transient&amp;count=N&amp;everyMs=M
 * </pre>
 *
 * None of it can be undone but by a new process: that is the point of the faults.
 */
public final class FaultAgent {
  public static final int PORT = 18099;

  private FaultAgent() {}

  public static void premain(String args, Instrumentation instrumentation) throws IOException {
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .type(ElementMatchers.named("io.homenvr.pipeline.capture.RtspReader"))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(FrameAdvice.class).on(ElementMatchers.named("nextFrame"))))
        .type(ElementMatchers.named("io.homenvr.pipeline.recording.Mp4Output"))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advice.to(MuxAdvice.class).on(ElementMatchers.named("write"))))
        .installOn(instrumentation);
    String address = System.getenv().getOrDefault("HOMENVR_BIND_ADDRESS", "127.0.0.1");
    HttpServer server = HttpServer.create(new InetSocketAddress(address, PORT), 0);
    server.createContext("/faults/", FaultAgent::handle);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "fault-agent");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String answer;
    int code = 200;
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        throw new IllegalArgumentException("POST only");
      }
      Map<String, String> query = query(exchange.getRequestURI());
      String fault = exchange.getRequestURI().getPath().substring("/faults/".length());
      answer =
          switch (fault) {
            case "deadlock" -> Faults.deadlock(required(query, "camera"));
            case "wedge-recorder" -> Faults.wedgeRecorder(required(query, "camera"));
            case "spin" -> Faults.spin(Integer.parseInt(query.getOrDefault("threads", "2")));
            case "silence" -> Faults.silenceLogs();
            case "errors" ->
                Faults.errors(
                    "serious".equals(required(query, "kind")),
                    Integer.parseInt(query.getOrDefault("count", "20")),
                    Long.parseLong(query.getOrDefault("everyMs", "200")));
            default -> throw new IllegalArgumentException("no fault " + fault);
          };
    } catch (RuntimeException e) {
      code = 400;
      answer = e.getMessage();
    }
    byte[] body = (answer + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing ?" + name + "=");
    }
    return value;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> values = new LinkedHashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        values.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return values;
  }

  /** Inlined at the start of Mp4Output.write, on a camera's recorder thread. */
  public static final class MuxAdvice {
    private MuxAdvice() {}

    @Advice.OnMethodEnter
    static void enter() {
      Faults.beforeMux();
    }
  }

  /** Inlined at the start of RtspReader.nextFrame, on the capture thread. */
  public static final class FrameAdvice {
    private FrameAdvice() {}

    @Advice.OnMethodEnter
    static void enter() {
      Faults.beforeFrame();
    }
  }
}
