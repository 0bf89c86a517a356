package io.homenvr.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.sandbox.apiserver.KubeletView;
import io.homenvr.sandbox.apiserver.SandboxApiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local kubelet turns Deployments and Jobs into real processes and keeps their status true. */
class LocalKubeletTest {
  private static final String NAMESPACE = "node";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static SandboxApiServer api;
  private static LocalKubelet kubelet;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    ForwardingView view = new ForwardingView();
    api = SandboxApiServer.start(dir.resolve("kubeconfig"), view, line -> {}, NAMESPACE);
    client = api.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    kubelet =
        new LocalKubelet(
            client,
            new HomenvrImages("unused", dir, dir.resolve("agent"), dir.resolve("git")),
            dir.resolve("run"),
            Map.of("PATH", System.getenv("PATH")),
            line -> {});
    view.kubelet = kubelet;
    kubelet.start();
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    api.close();
  }

  @Test
  void aDeploymentRunsAPodAsAProcessOnItsOwnAddressWithItsVolumes() {
    client
        .configMaps()
        .inNamespace(NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("app-config")
                .endMetadata()
                .addToData("config.txt", "snapshots go to /data/snapshots")
                .build())
        .create();
    deployment(
        "app",
        "cat /etc/app/config.txt; echo ip=$HOMENVR_BIND_ADDRESS; exec sleep 300",
        new PodSpecBuilder()
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName("app-config")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("data")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .build(),
        Map.of("config", "/etc/app", "data", "/data", "tmp", "/tmp"));

    Pod pod = awaitRunningPod("app");

    assertThat(pod.getMetadata().getName()).matches("app-[0-9a-f]{10}-[a-z0-9]{5}");
    assertThat(pod.getStatus().getPodIP()).startsWith("127.0.0.");
    eventually(
        () -> {
          String log =
              client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).getLog();
          assertThat(log).contains("ip=" + pod.getStatus().getPodIP());
          // one rewrite pass: the run directory lies under /tmp, itself a mount here
          assertThat(log)
              .contains(
                  "snapshots go to "
                      + dir.resolve("run/pods/node_" + pod.getMetadata().getName())
                      + "/volumes/data/snapshots");
        });
  }

  @Test
  void aDeletedPodsProcessIsKilledAndTheDeploymentReplacesIt() {
    deployment("replaced", "exec sleep 300", new PodSpec(), Map.of());
    Pod first = awaitRunningPod("replaced");
    ContainerProcess process =
        kubelet.process(NAMESPACE, first.getMetadata().getName()).orElseThrow();

    client.pods().inNamespace(NAMESPACE).resource(first).delete();

    await().atMost(DEADLINE).until(() -> !process.alive());
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                runningPod("replaced")
                    .filter(p -> !p.getMetadata().getName().equals(first.getMetadata().getName()))
                    .isPresent());
  }

  @Test
  void aCrashingContainerIsRestartedAndItsLastTerminationKept() {
    deployment("crashing", "echo boom; exit 3", new PodSpec(), Map.of());

    eventually(
        () -> {
          ContainerStatus status = containerStatus("crashing");
          assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(1);
          assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
          assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
          assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        });
  }

  @Test
  void aJobRunsOnceAndItsTerminationMessageIsReadFromTheFile() {
    job("succeeds", "echo '{\"outcome\":\"fixed\"}' > /dev/termination-log");
    job("fails", "echo broken; exit 1");

    eventually(
        () -> {
          assertThat(jobCondition("succeeds")).isEqualTo("Complete");
          assertThat(containerStatus("succeeds").getState().getTerminated().getMessage())
              .isEqualTo("{\"outcome\":\"fixed\"}\n");
          assertThat(jobCondition("fails")).isEqualTo("Failed");
          assertThat(containerStatus("fails").getState().getTerminated().getExitCode())
              .isEqualTo(1);
        });
  }

  @Test
  void podMetricsReportTheProcesssCpu() {
    deployment("busy", "while :; do :; done", new PodSpec(), Map.of());
    Pod pod = awaitRunningPod("busy");

    eventually(
        () -> {
          var metrics = client.top().pods().metrics(NAMESPACE, pod.getMetadata().getName());
          assertThat(
                  metrics
                      .getContainers()
                      .get(0)
                      .getUsage()
                      .get("cpu")
                      .getNumericalAmount()
                      .doubleValue())
              .isGreaterThan(0.3);
        });
    client.apps().deployments().inNamespace(NAMESPACE).withName("busy").delete();
    await()
        .atMost(DEADLINE)
        .until(() -> kubelet.process(NAMESPACE, pod.getMetadata().getName()).isEmpty());
  }

  // ---- helpers ----

  /** Until the assertions hold; the pod may not exist yet, which is also "not yet". */
  private static void eventually(org.awaitility.core.ThrowingRunnable assertions) {
    await().atMost(DEADLINE).ignoreExceptions().untilAsserted(assertions);
  }

  private static void deployment(
      String name, String script, PodSpec base, Map<String, String> mounts) {
    PodSpecBuilder spec = new PodSpecBuilder(base).withContainers(List.of());
    var container =
        spec.addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", script);
    mounts.forEach(
        (volume, path) ->
            container.addNewVolumeMount().withName(volume).withMountPath(path).endVolumeMount());
    container.endContainer();
    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withSpec(spec.build())
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private static void job(String name, String script) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NAMESPACE)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("main")
                .withImage("busybox")
                .withCommand("sh", "-c", script)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private static Pod awaitRunningPod(String prefix) {
    await().atMost(DEADLINE).until(() -> runningPod(prefix).isPresent());
    return runningPod(prefix).orElseThrow();
  }

  private static Optional<Pod> runningPod(String prefix) {
    return client.pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith(prefix + "-"))
        .filter(
            p ->
                p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase())
                    && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null)
        .findFirst();
  }

  private static ContainerStatus containerStatus(String prefix) {
    Pod pod =
        client.pods().inNamespace(NAMESPACE).list().getItems().stream()
            .filter(p -> p.getMetadata().getName().startsWith(prefix + "-"))
            .findFirst()
            .orElseThrow();
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private static String jobCondition(String name) {
    Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    return job.getStatus() == null || job.getStatus().getConditions() == null
        ? null
        : job.getStatus().getConditions().stream()
            .filter(
                c ->
                    "True".equals(c.getStatus())
                        && List.of("Complete", "Failed").contains(c.getType()))
            .map(c -> c.getType())
            .findFirst()
            .orElse(null);
  }

  /** The API server starts before the kubelet that serves its logs and metrics. */
  private static final class ForwardingView implements KubeletView {
    private volatile KubeletView kubelet = KubeletView.NONE;

    @Override
    public Optional<String> logs(
        String namespace, String pod, Integer tailLines, boolean timestamps) {
      return kubelet.logs(namespace, pod, tailLines, timestamps);
    }

    @Override
    public Optional<io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics> metrics(
        String namespace, String pod) {
      return kubelet.metrics(namespace, pod);
    }

    @Override
    public List<io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics> metrics(
        String namespace) {
      return kubelet.metrics(namespace);
    }
  }
}
