package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.status.StatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * Each broken CameraMonitor becomes Invalid with a message naming the field, gets a Warning Event,
 * has nothing created for it, and recovers by itself once fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidSpecTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private HomenvrOperator operator;

  /**
   * One way to get a CameraMonitor wrong.
   *
   * @param name also the namespace it runs in
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
  }

  static Stream<Case> cases() {
    return Stream.of(
        specCase(
            "bad-scheme",
            m -> m.getSpec().getCameras().get(1).setUrl("http://192.168.0.51/live"),
            "spec.cameras[1].url",
            m -> m.getSpec().getCameras().get(1).setUrl("rtsp://192.168.0.51/live")),
        specCase(
            "credentials-in-url",
            m -> m.getSpec().getCameras().get(1).setUrl("rtsp://admin:s3cret@192.168.0.51/live"),
            "spec.cameras[1].url: must not contain credentials; store them in a Secret",
            m -> m.getSpec().getCameras().get(1).setUrl("rtsp://192.168.0.51/live")),
        specCase(
            "duplicate-names",
            m -> m.getSpec().getCameras().get(1).setName("gate"),
            "spec.cameras[1].name: 'gate' is used by another camera",
            m -> m.getSpec().getCameras().get(1).setName("yard")),
        specCase(
            "zero-threshold",
            m -> m.getSpec().getHealth().setFrameStaleSeconds(0),
            "spec.health.frameStaleSeconds: is 0; it must be between 1 and 86400",
            m -> m.getSpec().getHealth().setFrameStaleSeconds(30)),
        specCase(
            "negative-threshold",
            m -> m.getSpec().getHealth().setCpuSpinMillicores(-500),
            "spec.health.cpuSpinMillicores",
            m -> m.getSpec().getHealth().setCpuSpinMillicores(2000)),
        specCase(
            "grace-not-above-interval",
            m -> m.getSpec().getRecovery().setRecoveryGraceSeconds(10),
            "spec.recovery.recoveryGraceSeconds: must be greater than"
                + " spec.health.checkIntervalSeconds (10)",
            m -> m.getSpec().getRecovery().setRecoveryGraceSeconds(60)),
        specCase(
            "no-cameras",
            m -> m.getSpec().setCameras(new ArrayList<>()),
            "spec.cameras: must list at least one camera",
            m -> m.getSpec().setCameras(CameraMonitors.home("x").getSpec().getCameras())),
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
            "spec.pipeline.resources.requests.memory",
            m -> m.getSpec().getPipeline().setResources(null)),
        specCase(
            "ai-fix-without-repository",
            m -> {
              m.getSpec().getEscalation().getAiFix().setEnabled(true);
              m.getSpec()
                  .getEscalation()
                  .getAiFix()
                  .setApiKeySecretRef(new SecretKeyRef("gate-cam", "password"));
            },
            "spec.escalation.aiFix.repository: is required when aiFix.enabled is true",
            m -> {
              RepositorySpec repository = new RepositorySpec();
              repository.setUrl("https://github.com/example/homenvr.git");
              m.getSpec().getEscalation().getAiFix().setRepository(repository);
            }),
        specCase(
            "bad-chat-id",
            m -> {
              TelegramSpec telegram = new TelegramSpec();
              telegram.setBotTokenSecretRef(new SecretKeyRef("gate-cam", "password"));
              telegram.setChatId("my chat");
              m.getSpec().getAlerts().setTelegram(telegram);
            },
            "spec.alerts.telegram.chatId",
            m -> m.getSpec().getAlerts().getTelegram().setChatId("-100123456")),
        specCase(
            "name-starts-with-digit", m -> m.getMetadata().setName("1home"), "metadata.name", null),
        new Case(
            "missing-secret",
            m -> m.getSpec().getCameras().get(0).getCredentialsSecretRef().setName("porch-cam"),
            "spec.cameras[0].credentialsSecretRef: Secret porch-cam does not exist in namespace"
                + " missing-secret",
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
                        })));
  }

  private static Case specCase(
      String name, Consumer<CameraMonitor> breakIt, String field, Consumer<CameraMonitor> fix) {
    return new Case(
        name,
        breakIt,
        field,
        "InvalidSpec",
        fix == null ? null : (cluster, ns) -> cluster.editMonitor(ns, "home", fix));
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
    String ns = broken.name();
    Secret secret =
        cluster.createSecret(ns, "gate-cam", Map.of("username", "admin", "password", "s3cret"));
    CameraMonitor monitor = CameraMonitors.home(ns);
    broken.breakIt().accept(monitor);
    String name = monitor.getMetadata().getName();
    cluster.create(monitor);

    CameraMonitor invalid =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.resources(CameraMonitor.class).inNamespace(ns).withName(name).get(),
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
            .until(
                () ->
                    client.v1().events().inNamespace(ns).list().getItems().stream()
                        .filter(e -> "Warning".equals(e.getType()))
                        .toList(),
                list -> !list.isEmpty());
    assertThat(warnings)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo(broken.reason());
              assertThat(e.getMessage()).contains(broken.field()).doesNotContain("s3cret");
            });

    assertThat(client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
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

    if (broken.fix() == null) {
      return; // metadata.name cannot change: the user recreates the object
    }
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
                () -> client.resources(CameraMonitor.class).inNamespace(ns).withName(name).get(),
                m -> m.getStatus().getPhase() == Phase.Pending);
    assertThat(StatusAggregator.condition(recovered.getStatus(), "Ready").orElseThrow().getReason())
        .isEqualTo("PipelineStarting");
  }
}
