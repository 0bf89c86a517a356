package io.homenvr.operator.escalation.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the ReplicaSet controller and kubelet would do for the pipeline Deployment: keep one running
 * pod, replace a deleted one at once, and tell the stand-in pipeline it was restarted.
 */
public final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> labels;
  private final StandInPipeline pipeline;
  private final AtomicInteger generation = new AtomicInteger();
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
    this.labels = labels;
    this.pipeline = pipeline;
    startPod();
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
                      startPod();
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

  private void startPod() {
    String name = "home-pipeline-" + generation.incrementAndGet();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .withCreationTimestamp(Instant.now().toString())
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("pipeline")
            .withImage("homenvr-pipeline:test")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(namespace).resource(pod).create();
    Pod running =
        new PodBuilder(pod)
            .withNewStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName("pipeline")
            .withReady(true)
            .withRestartCount(0)
            .withNewState()
            .withNewRunning()
            .withStartedAt(Instant.now().toString())
            .endRunning()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(running).updateStatus();
  }

  @Override
  public void close() {
    watch.close();
  }
}
