package io.homenvr.sandbox.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.sandbox.kubelet.NodeAgent;
import io.homenvr.sandbox.kubelet.TlsIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's hook into the real API server, not luck: a validating admission webhook on pod
 * deletions in the sandbox's namespace. Armed, it SIGKILLs the operator at the first request to
 * delete a pipeline pod and refuses that request, so the operator dies exactly between writing a
 * restart to status and the pod being deleted. Disarmed (the normal case) it allows everything.
 */
final class PodDeletionHook implements AutoCloseable {
  private static final String NAME = "sandbox-operator-restart-hook";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpsServer server;
  private final OperatorProcess operator;
  private final String podPrefix;
  private volatile CountDownLatch armed;

  PodDeletionHook(
      KubernetesClient client,
      OperatorProcess operator,
      String namespace,
      String podPrefix,
      Path dir,
      Path clientCa)
      throws IOException {
    this.operator = operator;
    this.podPrefix = podPrefix;
    InetAddress address = NodeAgent.nodeAddress();
    TlsIdentity.Identity tls;
    try {
      tls = TlsIdentity.create(dir, List.of(address), clientCa);
    } catch (GeneralSecurityException e) {
      throw new IOException("the hook's TLS identity: " + e.getMessage(), e);
    }
    server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    server.createContext("/pod-delete", this::review);
    server.start();
    String url = "https://" + address.getHostAddress() + ":" + server.getAddress().getPort();
    client
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("admissionregistration.k8s.io/v1")
                .withKind("ValidatingWebhookConfiguration")
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .addToAdditionalProperties(
                    "webhooks",
                    List.of(
                        Map.of(
                            "name",
                            "operator-restart.sandbox.homenvr.io",
                            "admissionReviewVersions",
                            List.of("v1"),
                            "sideEffects",
                            "None",
                            "failurePolicy",
                            "Ignore",
                            "timeoutSeconds",
                            10,
                            "namespaceSelector",
                            Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", namespace)),
                            "rules",
                            List.of(
                                Map.of(
                                    "apiGroups", List.of(""),
                                    "apiVersions", List.of("v1"),
                                    "operations", List.of("DELETE"),
                                    "resources", List.of("pods"))),
                            "clientConfig",
                            Map.of(
                                "url",
                                url + "/pod-delete",
                                "caBundle",
                                Base64.getEncoder()
                                    .encodeToString(
                                        tls.certificatePem().getBytes(StandardCharsets.UTF_8))))))
                .build())
        .createOr(existing -> existing.update());
  }

  /** The next deletion of a pipeline pod kills the operator first and is refused. */
  void arm() {
    armed = new CountDownLatch(1);
  }

  /** Waits until the armed hook fired; false when it did not within the timeout. */
  boolean awaitFired(long timeout, TimeUnit unit) throws InterruptedException {
    CountDownLatch latch = armed;
    return latch != null && latch.await(timeout, unit);
  }

  private void review(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody()).path("request");
      // a deletecollection (the operator deletes the pipeline's pods by label) reviews each pod
      // with an empty name: the pod is the old object
      JsonNode metadata = request.path("oldObject").path("metadata");
      String pod = metadata.path("name").asText();
      boolean startsDeletion = metadata.path("deletionTimestamp").isMissingNode();
      CountDownLatch latch = armed;
      boolean fire =
          latch != null && latch.getCount() > 0 && startsDeletion && pod.startsWith(podPrefix);
      if (fire) {
        operator.kill();
        latch.countDown();
      }
      Map<String, Object> response =
          fire
              ? Map.of(
                  "uid",
                  request.path("uid").asText(),
                  "allowed",
                  false,
                  "status",
                  Map.of(
                      "code",
                      409,
                      "message",
                      "sandbox scenario: the operator was killed before deleting " + pod))
              : Map.of("uid", request.path("uid").asText(), "allowed", true);
      byte[] body =
          JSON.writeValueAsBytes(
              Map.of(
                  "apiVersion", "admission.k8s.io/v1",
                  "kind", "AdmissionReview",
                  "response", response));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops serving; the webhook's registration goes with the sandbox's control plane. */
  @Override
  public void close() {
    server.stop(0);
  }
}
