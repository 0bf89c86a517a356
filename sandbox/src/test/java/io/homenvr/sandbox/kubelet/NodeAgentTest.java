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
import io.homenvr.testing.RealCluster;
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
/**
 * The sandbox's node agent beside the real control plane (etcd, kube-apiserver, controller-manager
 * and scheduler): pods the scheduler binds to it run as processes, their status, logs and metrics
 * reach users through kube-apiserver as from a kubelet.
 */
class NodeAgentTest {
  private static final String NAMESPACE = "node";
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static RealCluster cluster;
  private static NodeAgent kubelet;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws IOException {
    cluster =
        RealCluster.start(
            new RealCluster.Options(true, RealCluster.aggregationFlags(), dir.resolve("cluster")));
    client = cluster.admin();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    kubelet =
        new NodeAgent(
            client,
            new HomenvrImages(
                "unused", dir, dir.resolve("agent"), dir.resolve("git"), dir.resolve("hosts")),
            dir.resolve("run"),
            Map.of("PATH", System.getenv("PATH")),
            RealCluster.clientCa(),
            RealCluster.apiServerCa(),
            line -> {});
    kubelet.start();
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    cluster.close();
  }

  @Test
  void theNodeIsRegisteredReadyWithThisMachinesCapacityAndItsLeaseRenewed() {
    var node = client.nodes().withName(NodeAgent.NODE).get();
    assertThat(node.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(node.getStatus().getCapacity().get("cpu").getNumericalAmount().intValue())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    eventually(
        () ->
            assertThat(
                    client
                        .leases()
                        .inNamespace("kube-node-lease")
                        .withName(NodeAgent.NODE)
                        .get()
                        .getSpec()
                        .getRenewTime())
                .isNotNull());
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

    // named and created by the real ReplicaSet controller, bound by the real scheduler
    assertThat(pod.getMetadata().getName()).matches("app-[a-z0-9]+-[a-z0-9]{5}");
    assertThat(pod.getSpec().getNodeName()).isEqualTo(NodeAgent.NODE);
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
  void logsReachKubectlThroughTheApiServerWithTimestampsAndATail() {
    deployment("talker", "echo one; echo two; echo three; exec sleep 300", new PodSpec(), Map.of());
    Pod pod = awaitRunningPod("talker");
    eventually(
        () -> {
          String log =
              client
                  .pods()
                  .inNamespace(NAMESPACE)
                  .withName(pod.getMetadata().getName())
                  .usingTimestamps()
                  .tailingLines(2)
                  .getLog();
          assertThat(log.lines().toList())
              .hasSize(2)
              .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z .*"));
          assertThat(log).contains(" two", " three").doesNotContain(" one");
        });
  }

  @Test
  void aPodOfAServiceAccountGetsItsBoundTokenWhereAdmissionWouldMountIt() {
    client
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("reader")
                .endMetadata()
                .build())
        .create();
    deployment(
        "identity",
        "cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo;"
            + " wc -c < /var/run/secrets/kubernetes.io/serviceaccount/token; exec sleep 300",
        new PodSpecBuilder().withServiceAccountName("reader").build(),
        Map.of());
    Pod pod = awaitRunningPod("identity");
    eventually(
        () -> {
          String log =
              client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).getLog();
          List<String> lines = log.lines().map(String::trim).toList();
          assertThat(lines).contains(NAMESPACE);
          String tokenBytes = lines.get(lines.indexOf(NAMESPACE) + 1);
          assertThat(Integer.parseInt(tokenBytes)).isGreaterThan(100);
        });
  }

  @Test
  void aContainerPastItsMemoryLimitIsOomKilled() {
    PodSpec limited =
        new PodSpecBuilder()
            .addNewContainer()
            .withNewResources()
            .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
            .endResources()
            .endContainer()
            .build();
    deployment(
        "hungry", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); sleep 300", limited, Map.of());
    eventually(
        () ->
            assertThat(containerStatus("hungry").getLastState().getTerminated().getReason())
                .isEqualTo("OOMKilled"));
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
    var resources =
        base.getContainers().isEmpty() ? null : base.getContainers().get(0).getResources();
    PodSpecBuilder spec = new PodSpecBuilder(base).withContainers(List.of());
    var container =
        spec.addNewContainer()
            .withName("main")
            .withImage("busybox")
            .withCommand("sh", "-c", script)
            .withResources(resources);
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
}
