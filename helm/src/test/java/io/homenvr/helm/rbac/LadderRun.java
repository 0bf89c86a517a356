package io.homenvr.helm.rbac;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.helm.standin.ServiceNetwork;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.testing.RealCluster;
import io.homenvr.testing.StandInKubelet;
import io.homenvr.testing.StandInPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CameraMonitor taken through every rung of the ladder by a running operator, with a stand-in
 * pipeline (reached at its Service's name) and a stand-in kubelet: healthy; frozen, restarted,
 * fixed by the restart; frozen again, the restart does not help, the AI-fix Job runs and reports a
 * fix with a new image, which the operator rolls out and verifies. Each step waits for the
 * operator's effect, so every kind of request the operator makes has been made.
 */
final class LadderRun implements AutoCloseable {
  static final String MONITOR = "home";

  /** The image {@code imageTemplate} names for the fix's commit (abc123). */
  static final String FIXED_IMAGE = "homenvr-pipeline:fixed-abc123";

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KubernetesClient admin;
  private final String namespace;
  private final StandInPipeline pipeline;
  private final ServiceNetwork network;
  private final String serviceHost;
  private StandInKubelet kubelet;

  /** Before the operator starts: its HTTP client takes the {@link ServiceNetwork} when built. */
  LadderRun(RealCluster cluster, String namespace) throws IOException {
    this.admin = cluster.admin();
    this.namespace = namespace;
    pipeline = new StandInPipeline();
    network = ServiceNetwork.install();
    serviceHost = MONITOR + "-pipeline." + namespace + ".svc";
    network.route(serviceHost, pipeline.address());
    secret("gate-cam", Map.of("username", "viewer", "password", "not-a-real-password"));
    secret("aifix", Map.of("apiKey", "sk-not-a-real-key", "gitToken", "not-a-real-token"));
  }

  void throughTheWholeLadder() {
    CameraMonitor created = admin.resource(monitor()).create();
    kubelet =
        new StandInKubelet(
            admin, namespace, CameraMonitorResources.selectorLabels(created), pipeline);
    await().atMost(DEADLINE).until(() -> "Healthy".equals(phase()));

    pipeline.freeze();
    await().atMost(DEADLINE).until(() -> kubelet.deletions().size() == 1);
    await().atMost(DEADLINE).until(() -> "FixedByRestart".equals(latestIncidentOutcome()));

    kubelet.restartHeals(false);
    pipeline.freeze();
    Job job = awaitJob();
    kubelet.restartHeals(true);
    StandInKubelet.finishJobPod(
        admin,
        namespace,
        job.getMetadata().getName(),
        0,
        "{\"outcome\":\"fixed\",\"summary\":\"The reader is closed by its own thread now.\","
            + "\"commit\":\"abc123\",\"branch\":\"homenvr/fix\"}");
    await().atMost(DEADLINE).until(() -> FIXED_IMAGE.equals(pipelineImage()));
    await().atMost(DEADLINE).until(() -> "VerifyingFix".equals(status().getRecovery().getStage()));
  }

  /** The operator asked for the AI-fix Job; the real Job controller created its pod. */
  private Job awaitJob() {
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              List<Job> jobs = admin.batch().v1().jobs().inNamespace(namespace).list().getItems();
              return jobs.size() == 1
                  && !admin
                      .pods()
                      .inNamespace(namespace)
                      .withLabel("job-name", jobs.get(0).getMetadata().getName())
                      .list()
                      .getItems()
                      .isEmpty();
            });
    return admin.batch().v1().jobs().inNamespace(namespace).list().getItems().get(0);
  }

  int pipelinePodsDeleted() {
    return kubelet == null ? 0 : kubelet.deletions().size();
  }

  private CameraMonitor monitor() {
    try (InputStream in = LadderRun.class.getResourceAsStream("ladder-cameramonitor.yaml")) {
      CameraMonitor monitor = admin.getKubernetesSerialization().unmarshal(in, CameraMonitor.class);
      monitor.getMetadata().setNamespace(namespace);
      return monitor;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void secret(String name, Map<String, String> values) {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(values)
                .build())
        .create();
  }

  private CameraMonitorStatus status() {
    CameraMonitor monitor =
        admin.resources(CameraMonitor.class).inNamespace(namespace).withName(MONITOR).get();
    return monitor.getStatus() == null ? new CameraMonitorStatus() : monitor.getStatus();
  }

  private String phase() {
    return Objects.toString(status().getPhase(), null);
  }

  private String latestIncidentOutcome() {
    var incidents = status().getIncidents();
    return incidents.isEmpty() ? null : incidents.get(0).getOutcome();
  }

  private String pipelineImage() {
    var deployment =
        admin.apps().deployments().inNamespace(namespace).withName(MONITOR + "-pipeline").get();
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Override
  public void close() {
    if (kubelet != null) {
      kubelet.close();
    }
    network.remove(serviceHost);
    pipeline.close();
  }
}
