package io.homenvr.helm.rbac;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.config.OperatorConfig;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The real operator, configured by the environment the chart gives it, run against fabric8's mock
 * API server through the k3s examples (Secrets, then a CameraMonitor, then its deletion). Every
 * request the operator's own client sends is recorded as the RBAC access it needs.
 */
final class RecordedOperatorRun {
  /** Tells the operator's requests apart from the test's own (CRD, examples). */
  private static final String OPERATOR_USER_AGENT = "homenvr-operator-under-rbac-test";

  static {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }

  private RecordedOperatorRun() {}

  /** What the operator touched, plus whether its probe endpoints answered. */
  record Result(Set<ScopedAccess> accesses, int healthz, int readyz) {}

  /**
   * @param operatorEnv the operator container's env as the chart renders it (valueFrom entries are
   *     resolved as the kubelet would)
   */
  static Result run(
      List<EnvVar> operatorEnv,
      String operatorNamespace,
      RbacGrants grants,
      Path crd,
      Path secrets,
      Path monitor)
      throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init();
    // JOSDK asks what it may do with Leases before electing; answer with what the chart grants
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(HttpURLConnection.HTTP_CREATED, rulesReview(grants.in(operatorNamespace)))
        .always();
    try (KubernetesClient admin = server.createClient()) {
      admin.resource(load(admin, crd, CustomResourceDefinition.class)).create();
      Config operatorConfig =
          new ConfigBuilder(admin.getConfiguration()).withUserAgent(OPERATOR_USER_AGENT).build();
      Map<String, String> env = resolve(operatorEnv, operatorNamespace);
      env.put(OperatorConfig.HTTP_PORT.env(), "0");
      // JOSDK exits the JVM when a leader stops leading, which closing the operator does; the
      // Lease rules are checked against JOSDK's own access check instead (LeaseRulesTest)
      env.put(OperatorConfig.LEADER_ELECTION.env(), "false");
      int healthz;
      int readyz;
      try (KubernetesClient operatorClient =
              new KubernetesClientBuilder().withConfig(operatorConfig).build();
          HomenvrOperator operator =
              HomenvrOperator.start(
                  OperatorConfig.from(env, new String[0]), operatorClient, Clock.systemUTC())) {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + operator.httpPort());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(http, base.resolve("/readyz")) == 200);
        readyz = status(http, base.resolve("/readyz"));
        healthz = status(http, base.resolve("/healthz"));

        for (HasMetadata secret : loadAll(admin, secrets)) {
          admin.resource(secret).create();
        }
        CameraMonitor created = admin.resource(load(admin, monitor, CameraMonitor.class)).create();
        String namespace = created.getMetadata().getNamespace();
        String name = created.getMetadata().getName();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  CameraMonitor now =
                      admin
                          .resources(CameraMonitor.class)
                          .inNamespace(namespace)
                          .withName(name)
                          .get();
                  return now.getStatus() != null
                      && now.getStatus().getPhase() != null
                      && admin
                              .resources(Deployment.class)
                              .inNamespace(namespace)
                              .withName(name + "-pipeline")
                              .get()
                          != null;
                });
        // a spec change makes the operator update what it created
        String before = configMap(admin, namespace, name);
        admin
            .resources(CameraMonitor.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(
                m -> {
                  m.getSpec().getCameras().get(0).getDetect().setFps(2);
                  return m;
                });
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !configMap(admin, namespace, name).equals(before));
        admin.resources(CameraMonitor.class).inNamespace(namespace).withName(name).delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    admin.resources(CameraMonitor.class).inNamespace(namespace).withName(name).get()
                        == null);
      }
      Set<ScopedAccess> accesses = new TreeSet<>();
      int requests = server.getRequestCount();
      for (int i = 0; i < requests; i++) {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        if (request != null && OPERATOR_USER_AGENT.equals(request.getHeader("User-Agent"))) {
          RecordedRequests.accessOf(request.getMethod(), request.getPath())
              .ifPresent(accesses::add);
        }
      }
      return new Result(accesses, healthz, readyz);
    } finally {
      server.destroy();
    }
  }

  private static SelfSubjectRulesReview rulesReview(Set<ApiAccess> granted) {
    List<ResourceRule> rules =
        granted.stream()
            .map(
                a ->
                    new ResourceRuleBuilder()
                        .withApiGroups(a.group())
                        .withResources(a.resource())
                        .withVerbs(a.verb())
                        .build())
            .toList();
    return new SelfSubjectRulesReviewBuilder()
        .withNewStatus()
        .withResourceRules(rules)
        .withIncomplete(false)
        .endStatus()
        .build();
  }

  private static Map<String, String> resolve(List<EnvVar> env, String namespace) {
    Map<String, String> values = new HashMap<>();
    for (EnvVar var : env) {
      if (var.getValue() != null) {
        values.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        values.put(
            var.getName(),
            switch (field) {
              case "metadata.namespace" -> namespace;
              case "metadata.name" -> "homenvr-0";
              default -> throw new IllegalArgumentException("unexpected fieldRef " + field);
            });
      }
    }
    return values;
  }

  private static String configMap(KubernetesClient client, String namespace, String monitor) {
    ConfigMap map =
        client.configMaps().inNamespace(namespace).withName(monitor + "-pipeline").get();
    return map == null ? "" : String.valueOf(map.getData());
  }

  private static int status(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static <T> T load(KubernetesClient client, Path file, Class<T> type) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return client.getKubernetesSerialization().unmarshal(in, type);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static List<HasMetadata> loadAll(KubernetesClient client, Path file) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return client.load(in).items();
    }
  }
}
