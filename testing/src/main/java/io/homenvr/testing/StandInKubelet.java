package io.homenvr.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the scheduler and a kubelet would do for the pipeline's pods in tests without the sandbox
 * (the real Deployment and ReplicaSet controllers create them, Pod Security admits them): bind each
 * to a Node of its own, report it running, serve its log to the API server ({@code /containerLogs},
 * HTTPS, as kubelets do), finish a deleted pod's graceful termination, and tell the test when a pod
 * was deleted (a restart) and whether that healed the stand-in pipeline.
 */
public final class StandInKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Runnable onRestart;
  private final HttpsServer logs;
  private final List<Instant> deletions = new CopyOnWriteArrayList<>();
  private final Instant readySince = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Watch watch;
  private volatile boolean restartHeals = true;
  private volatile Consumer<String> logReads = pod -> {};

  /**
   * @param podLabels which pods are the pipeline's
   * @param pipeline told {@link StandInPipeline#restarted()} when its pod is deleted and restarts
   *     heal (see {@link #restartHeals})
   */
  public StandInKubelet(
      KubernetesClient admin,
      String namespace,
      Map<String, String> podLabels,
      StandInPipeline pipeline) {
    this(admin, namespace, podLabels, pipeline::restarted);
  }

  /**
   * @param podLabels which pods are the pipeline's
   * @param onRestart run when a pipeline pod is deleted and restarts heal
   */
  public StandInKubelet(
      KubernetesClient admin, String namespace, Map<String, String> podLabels, Runnable onRestart) {
    this.client = admin;
    this.namespace = namespace;
    this.node = "standin-" + namespace;
    this.onRestart = onRestart;
    logs = serveLogs();
    registerNode();
    watch =
        admin
            .pods()
            .inNamespace(namespace)
            .withLabels(podLabels)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      deletions.add(Instant.now());
                      if (restartHeals) {
                        onRestart.run();
                      }
                    } else if (pod.getMetadata().getDeletionTimestamp() != null) {
                      terminated(pod);
                    } else if (pod.getSpec().getNodeName() == null) {
                      bind(pod);
                    } else if (pod.getStatus() == null
                        || !"Running".equals(pod.getStatus().getPhase())) {
                      run(pod);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  /** Whether a fresh process fixes the stand-in pipeline (false: the bug is in the code). */
  public void restartHeals(boolean heals) {
    this.restartHeals = heals;
  }

  /** When pipeline pods were deleted. */
  public List<Instant> deletions() {
    return List.copyOf(deletions);
  }

  /** Tells {@code listener} the pod's name at each read of a pipeline log (the API server's). */
  public void onLogRead(Consumer<String> listener) {
    this.logReads = listener;
  }

  /** The Node the pods are bound to. */
  public String nodeName() {
    return node;
  }

  /**
   * Renews the Node's {@code Ready} condition, as a kubelet's heartbeat does: without one, the node
   * lifecycle controller marks the node's pods unready after its grace period (about 50 s) and
   * evicts them 5 minutes later. Tests shorter than that need not call it.
   */
  public void heartbeat() {
    ignoringGoneOrChanged(this::writeNodeStatus);
  }

  /** The pipeline's log: one line a second, timestamped as the kubelet's timestamps=true does. */
  private HttpsServer serveLogs() {
    try {
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(ServingCertificate.sslContext()));
      server.createContext(
          "/containerLogs/",
          exchange -> {
            // /containerLogs/<namespace>/<pod>/<container>
            String[] path = exchange.getRequestURI().getPath().split("/");
            if (path.length > 3) {
              logReads.accept(path[3]);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            StringBuilder log = new StringBuilder();
            for (int age = 3; age > 0; age--) {
              log.append(now.minusSeconds(age)).append(" camera gate: streaming\n");
            }
            byte[] body = log.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Node whose kubelet endpoint is {@link #logs}; the API server reaches it by InternalIP. */
  private void registerNode() {
    client.nodes().withName(node).delete();
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
        .create();
    // the node controllers write to a new Node too (taints, CIDRs): retry on their conflicts
    org.awaitility.Awaitility.await("the stand-in Node's status is written")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(100))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              writeNodeStatus();
              return true;
            });
  }

  private void writeNodeStatus() {
    client
        .nodes()
        .withName(node)
        .editStatus(
            n -> {
              n.setStatus(
                  new NodeStatusBuilder()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress(logs.getAddress().getAddress().getHostAddress())
                      .endAddress()
                      .withNewDaemonEndpoints()
                      .withNewKubeletEndpoint()
                      .withPort(logs.getAddress().getPort())
                      .endKubeletEndpoint()
                      .endDaemonEndpoints()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .withReason("KubeletReady")
                      .withLastHeartbeatTime(Instant.now().toString())
                      .withLastTransitionTime(readySince.toString())
                      .endCondition()
                      .build());
              return n;
            });
  }

  private void bind(Pod pod) {
    ignoringGoneOrChanged(
        () ->
            client
                .bindings()
                .inNamespace(namespace)
                .resource(
                    new BindingBuilder()
                        .withNewMetadata()
                        .withName(pod.getMetadata().getName())
                        .endMetadata()
                        .withNewTarget()
                        .withKind("Node")
                        .withName(node)
                        .endTarget()
                        .build())
                .create());
  }

  private void run(Pod pod) {
    ignoringGoneOrChanged(() -> reportRunning(client, namespace, pod.getMetadata().getName()));
  }

  /** What a kubelet writes for a pod whose container started and passes its readiness probe. */
  public static void reportRunning(KubernetesClient client, String namespace, String pod) {
    String now = Instant.now().toString();
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
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
                      .withName(p.getSpec().getContainers().get(0).getName())
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
  }

  /** The container stopped: a kubelet then removes the pod for good. */
  private void terminated(Pod pod) {
    ignoringGoneOrChanged(
        () ->
            client
                .pods()
                .inNamespace(namespace)
                .withName(pod.getMetadata().getName())
                .withGracePeriod(0)
                .delete());
  }

  /**
   * What a kubelet reports when a Job's container ends: the pod Succeeded (exit 0) or Failed, with
   * the container's termination message. The real Job controller takes it from there.
   */
  public static void finishJobPod(
      KubernetesClient admin, String namespace, String job, int exitCode, String message) {
    String now = Instant.now().toString();
    Pod pod =
        admin.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems().get(0);
    admin
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

  private static void ignoringGoneOrChanged(Runnable request) {
    try {
      request.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      // gone meanwhile, or changed: the watch brings the next version
    }
  }

  @Override
  public void close() {
    watch.close();
    logs.stop(0);
    client.nodes().withName(node).delete();
  }
}
