package io.homenvr.sandbox.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * What kube-apiserver asks of a kubelet, over HTTPS with client certificates: container logs
 * ({@code /containerLogs/<ns>/<pod>/<container>}, for {@code kubectl logs} and the operator's log
 * tail, {@code -f} included) and, as the APIService of {@code metrics.k8s.io}, pod and node CPU and
 * memory ({@code kubectl top}, the operator's CPU check).
 */
final class KubeletServer implements AutoCloseable {
  /** What the node answers about its pods. */
  interface Pods {
    Optional<LogBuffer> log(String namespace, String pod, String container);

    /** False once the pod's container has ended for good (a follower stops). */
    boolean running(String namespace, String pod);

    Optional<PodMetrics> metrics(String namespace, String pod);

    List<PodMetrics> metrics(Optional<String> namespace);

    NodeMetrics nodeMetrics();
  }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final String METRICS = "/apis/metrics.k8s.io/v1beta1";

  private final HttpsServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "sandbox-kubelet-https");
            thread.setDaemon(true);
            return thread;
          });
  private final Pods pods;

  KubeletServer(InetSocketAddress address, SSLContext tls, Pods pods) throws IOException {
    this.pods = pods;
    server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters parameters) {
            var ssl = tls.getDefaultSSLParameters();
            ssl.setNeedClientAuth(true);
            parameters.setSSLParameters(ssl);
          }
        });
    server.createContext("/containerLogs/", this::logs);
    server.createContext("/apis", this::metricsApi);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok"));
    server.setExecutor(executor);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void logs(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().split("/");
      if (path.length != 5) {
        respond(exchange, 404, "text/plain", "not found");
        return;
      }
      Map<String, String> query = query(exchange);
      Optional<LogBuffer> log = pods.log(path[2], path[3], path[4]);
      if (log.isEmpty()) {
        respond(exchange, 404, "text/plain", "pod " + path[2] + "/" + path[3] + " is not here");
        return;
      }
      boolean timestamps = Boolean.parseBoolean(query.getOrDefault("timestamps", "false"));
      Integer tail =
          query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null;
      Instant since = null;
      if (query.containsKey("sinceTime")) {
        since = Instant.parse(query.get("sinceTime"));
      } else if (query.containsKey("sinceSeconds")) {
        since = Instant.now().minusSeconds(Long.parseLong(query.get("sinceSeconds")));
      }
      long position = log.get().position();
      String first = log.get().render(tail, since, timestamps);
      if (!Boolean.parseBoolean(query.getOrDefault("follow", "false"))) {
        respond(exchange, 200, "text/plain", first);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(first.getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (pods.running(path[2], path[3])) {
        String more = log.get().after(position, timestamps, 1000);
        position = log.get().position();
        if (!more.isEmpty()) {
          out.write(more.getBytes(StandardCharsets.UTF_8));
          out.flush(); // an IOException here: the follower went away
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      respond(exchange, 400, "text/plain", e.toString());
    }
  }

  private void metricsApi(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Object body;
      if (path.equals("/apis")) {
        body = Map.of("kind", "APIGroupList", "apiVersion", "v1", "groups", List.of(group()));
      } else if (path.equals("/apis/metrics.k8s.io")) {
        body = group();
      } else if (path.equals(METRICS)) {
        body =
            Map.of(
                "kind", "APIResourceList",
                "apiVersion", "v1",
                "groupVersion", "metrics.k8s.io/v1beta1",
                "resources",
                    List.of(
                        resource("pods", "PodMetrics", true),
                        resource("nodes", "NodeMetrics", false)));
      } else if (path.equals(METRICS + "/nodes")) {
        body = list("NodeMetricsList", List.of(pods.nodeMetrics()));
      } else if (path.startsWith(METRICS + "/nodes/")) {
        body = pods.nodeMetrics();
      } else if (path.equals(METRICS + "/pods")) {
        body = list("PodMetricsList", pods.metrics(Optional.empty()));
      } else if (path.matches(METRICS + "/namespaces/[^/]+/pods")) {
        body = list("PodMetricsList", pods.metrics(Optional.of(path.split("/")[5])));
      } else if (path.matches(METRICS + "/namespaces/[^/]+/pods/[^/]+")) {
        String[] parts = path.split("/");
        Optional<PodMetrics> metrics = pods.metrics(parts[5], parts[7]);
        if (metrics.isEmpty()) {
          respond(
              exchange,
              404,
              "application/json",
              JSON.asJson(
                  Map.of(
                      "kind", "Status",
                      "apiVersion", "v1",
                      "status", "Failure",
                      "reason", "NotFound",
                      "code", 404,
                      "message", "podmetrics.metrics.k8s.io \"" + parts[7] + "\" not found")));
          return;
        }
        body = metrics.get();
      } else {
        respond(exchange, 404, "text/plain", "not found");
        return;
      }
      respond(exchange, 200, "application/json", JSON.asJson(body));
    }
  }

  private static Map<String, Object> group() {
    Map<String, String> version =
        Map.of("groupVersion", "metrics.k8s.io/v1beta1", "version", "v1beta1");
    return Map.of(
        "kind", "APIGroup",
        "apiVersion", "v1",
        "name", "metrics.k8s.io",
        "versions", List.of(version),
        "preferredVersion", version);
  }

  private static Map<String, Object> resource(String name, String kind, boolean namespaced) {
    return Map.of(
        "name", name,
        "singularName", "",
        "namespaced", namespaced,
        "kind", kind,
        "verbs", List.of("get", "list"));
  }

  private static Map<String, Object> list(String kind, List<?> items) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("kind", kind);
    list.put("apiVersion", "metrics.k8s.io/v1beta1");
    list.put("metadata", Map.of());
    list.put("items", items);
    return list;
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> values = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        values.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return values;
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
