package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.status.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What no CRD rule can know, on a real API server: each CameraMonitor here passes the CRD, yet
 * cannot run (a Secret or key that does not exist, a pattern Java cannot compile, a request above
 * its limit, a Deployment the API server refuses). It becomes Invalid with a message naming the
 * field and one Warning Event, its pipeline is not created, and it recovers by itself once fixed.
 * What the CRD rejects outright is {@code validation.CrdAdmissionTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidSpecTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private HomenvrOperator operator;

  /**
   * One way to get a CameraMonitor wrong that only the operator (or the API server, for the objects
   * the operator builds) can tell.
   *
   * @param name also the prefix of the namespace it runs in
   * @param breakIt turns the valid sample into the broken one
   * @param field what the message must name
   * @param reason the Ready condition's reason
   * @param fix makes it valid again, by editing the CameraMonitor or the cluster
   */
  record Case(
      String name,
      Consumer<CameraMonitor> breakIt,
      String field,
      String reason,
      BiConsumer<TestCluster, String> fix) {
    @Override
    public String toString() {
      return name;
    }

    /** The operator applied the objects it built, and the API server refused one of them. */
    boolean refusedByTheApiServer() {
      return "WorkloadRefused".equals(reason);
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "missing-secret",
            m -> m.getSpec().getCameras().get(0).getCredentialsSecretRef().setName("porch-cam"),
            "spec.cameras[0].credentialsSecretRef: Secret porch-cam does not exist in namespace",
            "SecretNotFound",
            (cluster, ns) ->
                cluster.createSecret(ns, "porch-cam", Map.of("username", "u", "password", "p"))),
        new Case(
            "missing-key",
            m -> m.getSpec().getCameras().get(0).getCredentialsSecretRef().setPasswordKey("pin"),
            "spec.cameras[0].credentialsSecretRef: Secret gate-cam has no key 'pin'",
            "SecretNotFound",
            (cluster, ns) ->
                cluster
                    .client()
                    .secrets()
                    .inNamespace(ns)
                    .withName("gate-cam")
                    .edit(
                        s -> {
                          s.getData()
                              .put("pin", Base64.getEncoder().encodeToString("1234".getBytes()));
                          return s;
                        })),
        specCase(
            "bad-regex",
            m -> m.getSpec().getHealth().getTransientErrorPatterns().add("timed out ("),
            "spec.health.transientErrorPatterns[6]: 'timed out (' is not a valid regular expression",
            m -> m.getSpec().getHealth().getTransientErrorPatterns().remove(6)),
        specCase(
            "request-above-limit",
            m ->
                m.getSpec()
                    .getPipeline()
                    .setResources(
                        new ResourceRequirementsBuilder()
                            .addToRequests("memory", new Quantity("4Gi"))
                            .build()),
            "spec.pipeline.resources.requests.memory: (4Gi) is above its limit (1536Mi)",
            m -> m.getSpec().getPipeline().setResources(null)),
        new Case(
            "gpu-without-limit",
            m ->
                m.getSpec()
                    .getPipeline()
                    .setResources(
                        new ResourceRequirementsBuilder()
                            .addToRequests("nvidia.com/gpu", new Quantity("1"))
                            .build()),
            "spec.template.spec.containers[0].resources.limits: Required value: Limit must be set"
                + " for non overcommitable resources; the API server refused Deployment"
                + " home-pipeline",
            "WorkloadRefused",
            (cluster, ns) ->
                cluster.editMonitor(
                    ns,
                    "home",
                    m ->
                        m.getSpec()
                            .getPipeline()
                            .getResources()
                            .setLimits(Map.of("nvidia.com/gpu", new Quantity("1"))))));
  }

  private static Case specCase(
      String name, Consumer<CameraMonitor> breakIt, String field, Consumer<CameraMonitor> fix) {
    return new Case(
        name, breakIt, field, "InvalidSpec", (cluster, ns) -> cluster.editMonitor(ns, "home", fix));
  }

  @BeforeAll
  void startOperator() {
    cluster = TestCluster.start();
    client = cluster.client();
    operator = cluster.startOperator(Clock.systemUTC());
  }

  @AfterAll
  void stopOperator() {
    operator.close();
    cluster.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void invalidSpecChangesNothingAndRecoversWhenFixed(Case broken) {
    String ns = cluster.namespace(broken.name());
    Secret secret =
        cluster.createSecret(ns, "gate-cam", Map.of("username", "admin", "password", "s3cret"));
    CameraMonitor monitor = CameraMonitors.home(ns);
    broken.breakIt().accept(monitor);
    cluster.create(monitor);

    CameraMonitor invalid =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get(),
                m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Invalid);
    Condition ready = StatusAggregator.condition(invalid.getStatus(), "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(broken.reason());
    assertThat(ready.getMessage()).contains(broken.field()).doesNotContain("s3cret");
    assertThat(invalid.getStatus().getMessage()).contains(broken.field().split(":")[0]);
    assertThat(invalid.getStatus().getObservedGeneration()).isEqualTo(1L);
    List<Event> warnings =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> operatorWarnings(ns), list -> !list.isEmpty());
    assertThat(warnings)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo(broken.reason());
              assertThat(e.getMessage()).contains(broken.field()).doesNotContain("s3cret");
            });

    // a refused Deployment comes after its ConfigMap and beside its Service; nothing runs either
    // way
    int applied = broken.refusedByTheApiServer() ? 1 : 0;
    assertThat(managed(client.configMaps().inNamespace(ns).list().getItems())).hasSize(applied);
    assertThat(managed(client.services().inNamespace(ns).list().getItems())).hasSize(applied);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(secret.getMetadata().getResourceVersion())
        .isEqualTo(
            client
                .secrets()
                .inNamespace(ns)
                .withName("gate-cam")
                .get()
                .getMetadata()
                .getResourceVersion());

    broken.fix().accept(cluster, ns);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.apps().deployments().inNamespace(ns).withName("home-pipeline").get(),
            d -> d != null);
    CameraMonitor recovered =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get(),
                m -> m.getStatus().getPhase() == Phase.Pending);
    assertThat(StatusAggregator.condition(recovered.getStatus(), "Ready").orElseThrow().getReason())
        .isEqualTo("PipelineStarting");
  }

  /** Warnings from homenvr, not from the cluster's controllers. */
  private List<Event> operatorWarnings(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent()))
        .toList();
  }

  /** What homenvr made, not what the cluster puts in every namespace (kube-root-ca.crt). */
  private static <T extends HasMetadata> List<T> managed(List<T> objects) {
    return objects.stream()
        .filter(
            o ->
                CameraMonitorResources.MANAGED_BY.equals(
                    o.getMetadata().getLabels() == null
                        ? null
                        : o.getMetadata().getLabels().get(CameraMonitorResources.LABEL_MANAGED_BY)))
        .toList();
  }
}
