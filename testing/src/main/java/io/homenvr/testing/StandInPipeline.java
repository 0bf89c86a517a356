package io.homenvr.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline's {@code /status} (the heartbeat contract, one camera "gate") and {@code /threads} on
 * loopback, for operator and chart tests that need no real pipeline; frames flow until frozen, and
 * again after a restart.
 */
public final class StandInPipeline implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong heartbeats = new AtomicLong();
  private volatile boolean frozen;
  private volatile Instant frozenAt;
  private volatile Instant startedAt = Instant.now();

  public StandInPipeline() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/status",
        exchange -> {
          heartbeats.incrementAndGet();
          respond(exchange, status(), "application/json");
        });
    server.createContext(
        "/threads",
        exchange ->
            respond(exchange, "\"camera-gate\" RUNNABLE\n  at Grabber.grab\n", "text/plain"));
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Frames stop; the heartbeat keeps answering with the old frame time (the silent stall). */
  public void freeze() {
    frozenAt = Instant.now();
    frozen = true;
  }

  /** A fresh process: frames flow again. */
  public void restarted() {
    startedAt = Instant.now();
    frozen = false;
  }

  /** /status requests answered so far: one per health check of a running pod. */
  public long heartbeats() {
    return heartbeats.get();
  }

  public boolean frozen() {
    return frozen;
  }

  private String status() {
    Instant now = Instant.now();
    Instant lastFrame = frozen ? frozenAt : now;
    long total = frozen ? frames.get() : frames.addAndGet(5);
    return """
        {"schemaVersion":1,"time":"%s","startedAt":"%s",
         "cameras":[{"name":"gate","state":"STREAMING","url":"rtsp://127.0.0.1:8554/gate",
           "lastFrameAt":"%s","framesTotal":%d,"fps":5.0,"reconnects":0}],
         "analysis":{"lastTickAt":"%s","ticksTotal":1,"analysesTotal":0},
         "vision":{"configured":false,"mode":"fallback","reachable":false},
         "alerts":{"sent":0,"failed":0,"pending":0},
         "process":{"cpuSecondsTotal":1.5,"threads":20,"deadlockedThreads":[]},
         "storage":{"path":"/data","usedBytes":1,"freeBytes":99,"totalBytes":100,
           "freePercent":99.0,"freeInodesPercent":99.0}}
        """
        .formatted(now, startedAt, lastFrame, total, now);
  }

  private static void respond(
      com.sun.net.httpserver.HttpExchange exchange, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
