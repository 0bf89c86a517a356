package io.homenvr.operator.escalation.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a kubelet would report for the pipeline's pods: the real Deployment and ReplicaSet
 * controllers create them (admitted by Pod Security), this stand-in reports each one running and
 * ready, and tells the stand-in pipeline when one was deleted (a restart).
 */
public final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final StandInPipeline pipeline;
  private final List<Instant> deletions = new CopyOnWriteArrayList<>();
  private volatile boolean restartHeals = true;
  private final Watch watch;

  public FakeKubelet(
      KubernetesClient client,
      String namespace,
      Map<String, String> labels,
      StandInPipeline pipeline) {
    this.client = client;
    this.namespace = namespace;
    this.pipeline = pipeline;
    watch =
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(labels)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      deletions.add(Instant.now());
                      if (restartHeals) {
                        pipeline.restarted();
                      }
                    } else if (pod.getMetadata().getDeletionTimestamp() == null
                        && (pod.getStatus() == null
                            || !"Running".equals(pod.getStatus().getPhase()))) {
                      run(pod);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** Whether a fresh process fixes the stand-in (false: the bug is in the code). */
  public void restartHeals(boolean heals) {
    this.restartHeals = heals;
  }

  /** When the operator deleted pipeline pods. */
  public List<Instant> deletions() {
    return List.copyOf(deletions);
  }

  private void run(Pod pod) {
    String now = Instant.now().toString();
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod.getMetadata().getName())
          .editStatus(
              p -> {
                p.setStatus(
                    new PodStatusBuilder()
                        .withPhase("Running")
                        .withStartTime(now)
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .withLastTransitionTime(now)
                        .endCondition()
                        .addNewContainerStatus()
                        .withName("pipeline")
                        .withImage(p.getSpec().getContainers().get(0).getImage())
                        .withImageID("")
                        .withReady(true)
                        .withStarted(true)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(now)
                        .endRunning()
                        .endState()
                        .endContainerStatus()
                        .build());
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      // gone meanwhile, or changed: the watch brings the next version
    }
  }

  /**
   * What the kubelet reports when a Job's container ends: the pod Succeeded (exit 0) or Failed,
   * with the container's termination message. The real Job controller takes it from there.
   */
  public static void finishJobPod(
      KubernetesClient client, String namespace, String job, int exitCode, String message) {
    String now = Instant.now().toString();
    Pod pod =
        client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems().get(0);
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder()
                      .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                      .withStartTime(now)
                      .addNewContainerStatus()
                      .withName(p.getSpec().getContainers().get(0).getName())
                      .withImage(p.getSpec().getContainers().get(0).getImage())
                      .withImageID("")
                      .withReady(false)
                      .withRestartCount(0)
                      .withNewState()
                      .withNewTerminated()
                      .withExitCode(exitCode)
                      .withReason(exitCode == 0 ? "Completed" : "Error")
                      .withMessage(message)
                      .withStartedAt(now)
                      .withFinishedAt(now)
                      .endTerminated()
                      .endState()
                      .endContainerStatus()
                      .build());
              return p;
            });
  }

  @Override
  public void close() {
    watch.close();
  }
}
