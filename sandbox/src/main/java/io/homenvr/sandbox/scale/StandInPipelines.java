package io.homenvr.sandbox.scale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every CameraMonitor's pipeline at once: one HTTP server on port 8080 of a loopback address of its
 * own, to which each pipeline Service's name resolves; the {@code Host} header tells the pipelines
 * apart. Each answers {@code /status} with four streaming, recording cameras whose frames are fresh
 * (docs/status-contract.md) and {@code /threads}, and remembers when each heartbeat was asked for.
 */
final class StandInPipelines implements AutoCloseable {
  static final List<String> CAMERAS = List.of("front", "back", "drive", "garden");
  private static final int PORT = 8080;

  private final HttpServer server;
  private final ExecutorService threads;
  private final Instant startedAt = Instant.now();
  private final Map<String, List<Long>> heartbeats = new ConcurrentHashMap<>();

  private StandInPipelines(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
    server.createContext("/status", this::status);
    server.createContext(
        "/threads",
        exchange -> respond(exchange, "\"camera-front\" RUNNABLE\n  at Grabber.grab\n"));
    server.setExecutor(threads);
    server.start();
  }

  /**
   * On the first of 127.77.0.1, .2, … whose port 8080 is free (other sessions' pods use 127.0.0.N).
   */
  static StandInPipelines start() throws IOException {
    for (int host = 1; host < 64; host++) {
      InetAddress address = InetAddress.getByName("127.77.0." + host);
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, PORT), 256);
        return new StandInPipelines(server, Executors.newFixedThreadPool(4));
      } catch (BindException taken) {
        // another run holds it: the next address
      }
    }
    throw new IOException("no free port " + PORT + " on 127.77.0.1-63");
  }

  /** The address every pipeline Service's name resolves to. */
  String address() {
    return server.getAddress().getAddress().getHostAddress();
  }

  /**
   * When each pipeline's heartbeat was asked for (System.nanoTime), by the host it was asked as:
   * {@code <name>-pipeline.<namespace>.svc}.
   */
  Map<String, List<Long>> heartbeats() {
    Map<String, List<Long>> copy = new java.util.HashMap<>();
    heartbeats.forEach(
        (host, times) -> {
          synchronized (times) {
            copy.put(host, new ArrayList<>(times));
          }
        });
    return copy;
  }

  private void status(HttpExchange exchange) throws IOException {
    long at = System.nanoTime();
    String host = exchange.getRequestHeaders().getFirst("Host");
    host = host == null ? "" : host.replaceFirst(":\\d+$", "");
    List<Long> times = heartbeats.computeIfAbsent(host, h -> new ArrayList<>());
    synchronized (times) {
      times.add(at);
    }
    respond(exchange, status(Instant.now()));
  }

  private String status(Instant now) {
    long seconds = now.getEpochSecond() - startedAt.getEpochSecond();
    StringBuilder cameras = new StringBuilder();
    for (String camera : CAMERAS) {
      cameras
          .append(cameras.length() == 0 ? "" : ",")
          .append(
              """
              {"name":"%s","state":"STREAMING","url":"rtsp://192.0.2.1:554/%s",
               "lastFrameAt":"%s","framesTotal":%d,"fps":5.0,"reconnects":0,"lastError":null,
               "lastErrorAt":null,"connectedAt":"%s","width":1920,"height":1080,"codec":"h264",
               "recording":{"mode":"continuous","state":"RECORDING","segmentSeconds":10,
                "lastSegmentAt":"%s","segmentsTotal":%d,"bytesPerSecond":500000.0,
                "droppedPackets":0,"lastError":null,"gaps":[]}}"""
                  .formatted(
                      camera,
                      camera,
                      now.minusMillis(100),
                      seconds * 15,
                      startedAt,
                      now.minusSeconds(now.getEpochSecond() % 10),
                      seconds / 10));
    }
    return """
        {"schemaVersion":1,"time":"%s","startedAt":"%s","cameras":[%s],
         "analysis":{"lastTickAt":"%s","ticksTotal":%d,"analysesTotal":%d,"motionEventsTotal":0},
         "vision":{"configured":false,"api":null,"mode":"fallback","reachable":false},
         "alerts":{"telegramConfigured":false,"sent":0,"failed":0,"pending":0,"dropped":0},
         "process":{"cpuSecondsTotal":%.1f,"threads":40,"deadlockedThreads":[]},
         "storage":{"path":"/data","usedBytes":1,"snapshotFiles":0,"deletedTotal":0,
           "freeBytes":99000000000,"totalBytes":100000000000,"freePercent":99.0,
           "freeInodesPercent":99.0},
         "offload":null,"mqtt":null}
        """
        .formatted(
            now, startedAt, cameras, now.minusMillis(50), seconds * 5, seconds * 20, seconds * 0.4);
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
