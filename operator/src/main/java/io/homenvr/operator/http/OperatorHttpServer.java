package io.homenvr.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * /healthz (the process answers), /readyz (the operator started and its informers are synced and
 * watching, as leader or standby) and /metrics (Prometheus text) on one port.
 */
public class OperatorHttpServer implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  /**
   * @param bindAddress where to listen; empty: every address
   */
  public OperatorHttpServer(
      String bindAddress, int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    server =
        HttpServer.create(
            bindAddress.isEmpty()
                ? new InetSocketAddress(port)
                : new InetSocketAddress(bindAddress, port),
            0);
    server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          var runtime = operator.getRuntimeInfo();
          if (!runtime.isStarted()) {
            send(exchange, 503, "text/plain", "starting\n");
          } else if (!runtime.allEventSourcesAreHealthy()) {
            send(
                exchange,
                503,
                "text/plain",
                "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n");
          } else {
            send(exchange, 200, "text/plain", "ready\n");
          }
        });
    server.createContext(
        "/metrics", exchange -> send(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    server.setExecutor(Executors.newSingleThreadExecutor(OperatorHttpServer::daemon));
  }

  public OperatorHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Never keeps the JVM alive on its own; the shutdown hook closes it anyway. */
  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "http");
    thread.setDaemon(true);
    return thread;
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
