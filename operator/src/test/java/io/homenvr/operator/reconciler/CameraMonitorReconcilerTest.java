package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.OffloadSpec;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.testing.StandInKubelet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CameraMonitorReconcilerTest {
  private static final Map<String, String> MANAGED =
      Map.of("app.kubernetes.io/managed-by", "homenvr-operator");
  private TestCluster cluster;
  private KubernetesClient client;
  private HomenvrOperator operator;

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

  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
  }

  @Test
  void createsConfigMapDeploymentAndServiceOwnedByTheCameraMonitor() {
    String ns = cluster.namespace("create");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "admin", "password", "hunter2"));
    CameraMonitor created = cluster.create(CameraMonitors.home(ns));

    Deployment deployment = eventually().until(() -> deployment(ns), d -> d != null);
    ConfigMap configMap = client.configMaps().inNamespace(ns).withName("home-pipeline").get();
    Service service = client.services().inNamespace(ns).withName("home-pipeline").get();

    assertThat(configMap.getData().get("pipeline.yaml"))
        .isEqualTo(
            """
            cameras:
            - name: gate
              url: rtsp://192.168.0.50:554/stream1
              transport: tcp
              usernameFile: /var/run/secrets/homenvr/gate-cam/username
              passwordFile: /var/run/secrets/homenvr/gate-cam/password
              detect:
                fps: 5
                width: 640
                minAreaPercent: 0.5
                mode: eco
                ecoQuietSeconds: 10
              record:
                mode: continuous
                segmentSeconds: 10
                preRollSeconds: 5
                postRollSeconds: 5
                retainDays: 7
                eventRetainDays: 30
            - name: yard
              url: rtsp://192.168.0.51/live
              transport: tcp
              detect:
                fps: 5
                width: 640
                minAreaPercent: 0.5
                mode: eco
                ecoQuietSeconds: 10
              record:
                mode: continuous
                segmentSeconds: 10
                preRollSeconds: 5
                postRollSeconds: 5
                retainDays: 7
                eventRetainDays: 30
            alerts:
              cooldownSeconds: 60
            storage:
              dataDir: /data
              retentionDays: 7
              maxBytes: 1932735283
              minFreePercent: 10
              minFreeInodesPercent: 5
            server:
              port: 8080
              bindAddress: 0.0.0.0
            summaryIntervalSeconds: 60
            """);
    assertThat(configMap.getData().toString()).doesNotContain("hunter2", "admin");

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name",
                "homenvr-pipeline",
                "app.kubernetes.io/instance",
                "home"));
    var template = deployment.getSpec().getTemplate();
    assertThat(template.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "homenvr-operator")
        .containsEntry("homenvr.io/cameramonitor", "home");
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry(
            "homenvr.io/config-checksum",
            CameraMonitorResources.sha256Hex(configMap.getData().get("pipeline.yaml")));

    PodSpec pod = template.getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Container container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(TestCluster.PIPELINE_IMAGE);
    assertThat(container.getArgs()).containsExactly("--config", "/etc/homenvr/pipeline.yaml");
    var security = container.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(10001L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(container.getResources().getLimits())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("1536Mi"));
    assertThat(container.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getFailureThreshold()).isGreaterThanOrEqualTo(10);
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
              assertThat(env.getValue())
                  .contains("-XX:MaxRAMPercentage=75")
                  .contains("-XX:TieredStopAtLevel=1");
            });
    assertThat(container.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getReadOnly())
        .containsExactly(
            "config:/etc/homenvr:true",
            "data:/data:null",
            "tmp:/tmp:null",
            "secret-gate-cam:/var/run/secrets/homenvr/gate-cam:true");
    Volume data = volume(pod, "data");
    assertThat(data.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("2Gi"));
    assertThat(volume(pod, "tmp").getEmptyDir()).isNotNull();
    assertThat(volume(pod, "config").getConfigMap().getName()).isEqualTo("home-pipeline");
    assertThat(volume(pod, "secret-gate-cam").getSecret().getSecretName()).isEqualTo("gate-cam");
    assertThat(volume(pod, "secret-gate-cam").getSecret().getItems())
        .extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("username->username", "password->password");

    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("http");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");

    for (HasMetadata owned : List.of(configMap, deployment, service)) {
      assertOwnedBy(owned, created);
      assertThat(owned.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "homenvr-operator");
    }

    CameraMonitor reconciled =
        eventually()
            .until(
                () -> monitor(ns),
                m -> m.getStatus() != null && m.getStatus().getObservedGeneration() != null);
    assertThat(reconciled.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(reconciled.getStatus().getCameraCount()).isEqualTo(2);
    assertThat(reconciled.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly(
            "Ready=False/PipelineStarting",
            "PipelineHealthy=Unknown/NotChecked",
            "DependenciesHealthy=Unknown/NotChecked",
            "Escalated=False/NotEscalated");
    eventually().until(() -> events(ns, "Created"), e -> !e.isEmpty());
    Event createdEvent = events(ns, "Created").get(0);
    assertThat(createdEvent.getType()).isEqualTo("Normal");
    assertThat(createdEvent.getInvolvedObject().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(createdEvent.getMessage())
        .isEqualTo(
            "Created ConfigMap home-pipeline, Deployment home-pipeline, Service home-pipeline");

    // the real ReplicaSet controller created the pod (admitted by Pod Security "restricted"); a
    // kubelet would run it and report it ready: here the test does, and the real Deployment
    // controller turns that into the Deployment's ready and available replicas
    Pod createdPod =
        eventually()
            .until(
                () -> client.pods().inNamespace(ns).withLabels(selector(deployment)).list(),
                pods -> pods.getItems().size() == 1)
            .getItems()
            .get(0);
    StandInKubelet.reportRunning(client, ns, createdPod.getMetadata().getName());
    CameraMonitor ready =
        eventually()
            .until(
                () -> monitor(ns),
                m ->
                    "True"
                        .equals(
                            StatusAggregator.condition(m.getStatus(), "Ready")
                                .orElseThrow()
                                .getStatus()));
    assertThat(StatusAggregator.condition(ready.getStatus(), "Ready").orElseThrow().getReason())
        .isEqualTo("PipelineRunning");
    eventually().until(() -> events(ns, "PipelineRunning"), e -> e.size() == 1);
  }

  @Test
  void storageGivesTheDataVolumeAClaim() {
    String ns = cluster.namespace("storage");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
    CameraMonitor monitor = CameraMonitors.home(ns);
    StorageSpec storage = new StorageSpec();
    storage.setSize("50Gi");
    storage.setStorageClassName("local-path");
    storage.setRetentionDays(14);
    OffloadSpec offload = new OffloadSpec();
    offload.setClaimName("nas-clips");
    storage.setOffload(offload);
    monitor.getSpec().getPipeline().setStorage(storage);
    CameraMonitor created = cluster.create(monitor);

    PersistentVolumeClaim claim =
        eventually()
            .until(
                () ->
                    client
                        .persistentVolumeClaims()
                        .inNamespace(ns)
                        .withName("home-pipeline-data")
                        .get(),
                c -> c != null);
    assertThat(claim.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("50Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-path");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertOwnedBy(claim, created);

    Deployment deployment = eventually().until(() -> deployment(ns), d -> d != null);
    Volume data = volume(deployment.getSpec().getTemplate().getSpec(), "data");
    assertThat(data.getPersistentVolumeClaim().getClaimName()).isEqualTo("home-pipeline-data");
    assertThat(data.getEmptyDir()).isNull();
    // the user's NAS claim is mounted at /offload, and never created by the operator
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(volume(pod, "offload").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("nas-clips");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("offload");
              assertThat(m.getMountPath()).isEqualTo("/offload");
            });
    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("nas-clips").get())
        .isNull();
    assertThat(client.configMaps().inNamespace(ns).withName("home-pipeline").get().getData())
        .hasEntrySatisfying(
            "pipeline.yaml",
            yaml ->
                assertThat(yaml)
                    .contains("retentionDays: 14", "maxBytes: 48318382080", "dir: /offload"));
  }

  @Test
  void specChangeRollsThePodTemplate() {
    String ns = cluster.namespace("change");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
    cluster.create(CameraMonitors.home(ns));
    Deployment before = eventually().until(() -> deployment(ns), d -> d != null);
    String checksumBefore = checksum(before);

    cluster.editMonitor(ns, "home", m -> m.getSpec().getCameras().get(1).getDetect().setFps(10));

    Deployment after =
        eventually().until(() -> deployment(ns), d -> !checksum(d).equals(checksumBefore));
    assertThat(client.configMaps().inNamespace(ns).withName("home-pipeline").get().getData())
        .hasEntrySatisfying("pipeline.yaml", yaml -> assertThat(yaml).contains("fps: 10"));
    assertThat(checksum(after))
        .isEqualTo(
            CameraMonitorResources.sha256Hex(
                client
                    .configMaps()
                    .inNamespace(ns)
                    .withName("home-pipeline")
                    .get()
                    .getData()
                    .get("pipeline.yaml")));
    eventually()
        .until(
            () -> monitor(ns).getStatus(),
            s -> s != null && Long.valueOf(2).equals(s.getObservedGeneration()));
    eventually().until(() -> events(ns, "Updated"), e -> !e.isEmpty());
    assertThat(events(ns, "Updated").get(0).getMessage())
        .startsWith("Updated ConfigMap home-pipeline, Deployment home-pipeline");
  }

  @Test
  void servesHealthReadinessAndMetrics() throws Exception {
    String ns = cluster.namespace("metrics");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
    cluster.create(CameraMonitors.home(ns));
    eventually()
        .until(() -> monitor(ns).getStatus(), s -> s != null && s.getPhase() == Phase.Pending);

    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .containsPattern("homenvr_cameramonitors\\{phase=\"Pending\"\\} [1-9]")
        .contains("homenvr_cameramonitors{phase=\"Invalid\"}")
        .contains("homenvr_events_total{reason=\"Created\",type=\"Normal\"}")
        .contains("operator_sdk_reconciliations_executions");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + operator.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private CameraMonitor monitor(String ns) {
    return client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
  }

  private Deployment deployment(String ns) {
    return client.apps().deployments().inNamespace(ns).withName("home-pipeline").get();
  }

  private List<Event> events(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static String checksum(Deployment deployment) {
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("homenvr.io/config-checksum");
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> name.equals(v.getName()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void deletingTheCameraMonitorDeletesEverythingItOwns() {
    String ns = cluster.namespace("delete");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
    CameraMonitor monitor = CameraMonitors.home(ns);
    monitor.getSpec().getPipeline().setStorage(new StorageSpec());
    cluster.create(monitor);
    Deployment deployment = eventually().until(() -> deployment(ns), d -> d != null);
    eventually()
        .until(
            () -> client.pods().inNamespace(ns).withLabels(selector(deployment)).list(),
            pods -> pods.getItems().size() == 1);
    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("home-pipeline-data").get())
        .isNotNull();

    client.resources(CameraMonitor.class).inNamespace(ns).withName("home").delete();

    // the real garbage collector follows the owner references: nothing of it is left
    eventually()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(client.configMaps().inNamespace(ns).withLabels(MANAGED).list().getItems())
                  .isEmpty();
              assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems())
                  .isEmpty();
            });
    assertThat(client.secrets().inNamespace(ns).withName("gate-cam").get())
        .as("the user's Secret is not the CameraMonitor's")
        .isNotNull();
  }

  private static Map<String, String> selector(Deployment deployment) {
    return deployment.getSpec().getSelector().getMatchLabels();
  }

  /** The owner reference the garbage collector follows, with the CameraMonitor as controller. */
  static void assertOwnedBy(HasMetadata owned, CameraMonitor owner) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            (OwnerReference ref) -> {
              assertThat(ref.getApiVersion()).isEqualTo("homenvr.io/v1alpha1");
              assertThat(ref.getKind()).isEqualTo("CameraMonitor");
              assertThat(ref.getName()).isEqualTo(owner.getMetadata().getName());
              assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
  }
}
