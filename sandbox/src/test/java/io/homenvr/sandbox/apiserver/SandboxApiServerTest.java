package io.homenvr.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.api.v1alpha1.CameraMonitor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's API server answers kubectl and clients the way kube-apiserver would. */
class SandboxApiServerTest {
  private static final String NAMESPACE = "nvr";
  private static final KubeletView KUBELET =
      new KubeletView() {
        @Override
        public Optional<String> logs(
            String namespace, String pod, Integer tailLines, boolean timestamps) {
          return pod.equals("running")
              ? Optional.of(tailLines == null ? "one\ntwo\n" : "two\n")
              : Optional.empty();
        }

        @Override
        public Optional<PodMetrics> metrics(String namespace, String pod) {
          return pod.equals("running")
              ? Optional.of(
                  new PodMetricsBuilder()
                      .withNewMetadata()
                      .withName(pod)
                      .withNamespace(namespace)
                      .endMetadata()
                      .addNewContainer()
                      .withName("pipeline")
                      .withUsage(
                          Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("1500m")))
                      .endContainer()
                      .build())
              : Optional.empty();
        }

        @Override
        public List<PodMetrics> metrics(String namespace) {
          return metrics(namespace, "running").stream().toList();
        }
      };

  @TempDir static Path dir;
  private static SandboxApiServer api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    api = SandboxApiServer.start(dir.resolve("kubeconfig"), KUBELET, line -> {}, NAMESPACE);
    client = api.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void anInvalidCameraMonitorIsRejectedWith422NamingTheFields() {
    CameraMonitor bad = monitor("bad", "rtsp://admin:secret@10.0.0.1/stream", "Gate");

    assertThatThrownBy(() -> client.resource(bad).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(cause -> cause.getField())
                  .containsExactlyInAnyOrder("spec.cameras[0].url", "spec.cameras[0].name");
              assertThat(e.getStatus().getMessage())
                  .startsWith("CameraMonitor.homenvr.io \"bad\" is invalid: [")
                  .doesNotContain("secret");
            });
    assertThat(client.resources(CameraMonitor.class).inNamespace(NAMESPACE).withName("bad").get())
        .isNull();
  }

  @Test
  void aValidCameraMonitorIsStoredWithDefaultsAndMergePatchesReplaceLists() {
    client.resource(monitor("good", "rtsp://10.0.0.1/stream", "gate")).create();

    CameraMonitor stored =
        client.resources(CameraMonitor.class).inNamespace(NAMESPACE).withName("good").get();
    assertThat(stored.getSpec().getCameras().get(0).getTransport()).hasToString("TCP");

    client
        .resources(CameraMonitor.class)
        .inNamespace(NAMESPACE)
        .withName("good")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"cameras\":[{\"name\":\"porch\",\"url\":\"rtsp://10.0.0.2/s\"}]}}");
    CameraMonitor patched =
        client.resources(CameraMonitor.class).inNamespace(NAMESPACE).withName("good").get();
    assertThat(patched.getSpec().getCameras())
        .extracting(c -> c.getName())
        .containsExactly("porch");
  }

  @Test
  void aPatchThatBreaksTheRulesIsRejected() {
    client.resource(monitor("patched", "rtsp://10.0.0.1/stream", "gate")).create();

    assertThatThrownBy(
            () ->
                client
                    .resources(CameraMonitor.class)
                    .inNamespace(NAMESPACE)
                    .withName("patched")
                    .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"spec\":{\"health\":{\"checkIntervalSeconds\":0}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e ->
                assertThat(e.getStatus().getDetails().getCauses())
                    .extracting(cause -> cause.getField())
                    .contains("spec.health.checkIntervalSeconds"));
  }

  @Test
  void discoveryMapsTheShortNameAndServesPrinterColumns() throws Exception {
    assertThat(get("/apis", "application/json")).contains("\"homenvr.io\"", "\"metrics.k8s.io\"");
    assertThat(get("/apis/homenvr.io/v1alpha1", "application/json"))
        .contains("\"cammon\"", "cameramonitors/status");
    client.resource(monitor("table", "rtsp://10.0.0.1/stream", "gate")).create();

    String table =
        get(
            "/apis/homenvr.io/v1alpha1/namespaces/nvr/cameramonitors",
            "application/json;as=Table;v=v1;g=meta.k8s.io");
    assertThat(table).contains("\"kind\":\"Table\"");
    assertThat(table.indexOf("\"Phase\"")).isLessThan(table.indexOf("\"Cameras\""));
    assertThat(table.indexOf("\"Restarts\"")).isLessThan(table.indexOf("\"Age\""));
  }

  @Test
  void eventsAreSelectedByFieldAsKubectlDescribeAsks() {
    for (String name : List.of("home", "other")) {
      client
          .v1()
          .events()
          .inNamespace(NAMESPACE)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name + ".1")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withKind("CameraMonitor")
                  .withName(name)
                  .withNamespace(NAMESPACE)
                  .endInvolvedObject()
                  .withReason("Test")
                  .build())
          .create();
    }

    var events =
        client.v1().events().inNamespace(NAMESPACE).withField("involvedObject.name", "home").list();

    assertThat(events.getItems())
        .extracting(e -> e.getMetadata().getName())
        .containsExactly("home.1");
    assertThat(events.getKind()).isEqualTo("EventList");
  }

  @Test
  void podLogsAndMetricsComeFromTheKubelet() {
    assertThat(client.pods().inNamespace(NAMESPACE).withName("running").tailingLines(1).getLog())
        .isEqualTo("two\n");
    PodMetrics metrics = client.top().pods().metrics(NAMESPACE, "running");
    assertThat(metrics.getContainers().get(0).getUsage().get("cpu").getAmount()).isEqualTo("1500");
  }

  @Test
  void kubectlAppliesGetsAndIsRefusedLikeOnACluster() throws Exception {
    assumeThat(onPath("kubectl")).as("kubectl is installed").isTrue();
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, yaml("kubectl-good", "rtsp://10.0.0.9/s", "gate"));
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, yaml("kubectl-bad", "http://10.0.0.9/s", "gate"));

    assertThat(kubectl("apply", "-f", good.toString()))
        .contains("cameramonitor.homenvr.io/kubectl-good created");
    assertThat(kubectl("get", "cammon", "kubectl-good"))
        .contains("PHASE", "CAMERAS", "HEALTHY", "RESTARTS", "AGE");
    assertThat(kubectl("apply", "-f", bad.toString()))
        .contains("The CameraMonitor \"kubectl-bad\" is invalid", "spec.cameras[0].url");
  }

  private static CameraMonitor monitor(String name, String url, String camera) {
    return client
        .getKubernetesSerialization()
        .unmarshal(yaml(name, url, camera), CameraMonitor.class);
  }

  private static String yaml(String name, String url, String camera) {
    return """
        apiVersion: homenvr.io/v1alpha1
        kind: CameraMonitor
        metadata: {name: %s, namespace: nvr}
        spec:
          cameras:
            - {name: %s, url: "%s"}
        """
        .formatted(name, camera, url);
  }

  private static String get(String path, String accept) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                    .header("Accept", accept)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private static boolean onPath(String command) {
    return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private static String kubectl(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("kubectl", "--kubeconfig", api.kubeconfig().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
