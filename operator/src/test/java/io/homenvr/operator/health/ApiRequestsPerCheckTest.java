package io.homenvr.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.escalation.RecoveryController;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.reconciler.CameraMonitorReconciler;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.homenvr.testing.AuditLog;
import io.homenvr.testing.StandInKubelet;
import io.homenvr.testing.StandInPipeline;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one CameraMonitor's health checks cost the API server in steady state, counted in the real
 * API server's audit log: the operator runs as a ServiceAccount of its own, its pipeline is healthy
 * and checked every second. A full check reads the log tail and the pod's CPU (two requests); the
 * pod comes from the informer's cache and node pressure from a reading shared for 30 s.
 */
class ApiRequestsPerCheckTest {
  private static final int CHECKS = 10;

  private final TestCluster cluster = TestCluster.start();
  private final String ns = cluster.namespace("requests");
  private final String binding = ns + "-operator";
  private StandInPipeline pipeline;
  private KubernetesClient operatorClient;
  private StandInKubelet kubelet;
  private Operator operator;
  private RecoveryController ladder;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    if (ladder != null) {
      ladder.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    cluster.client().rbac().clusterRoleBindings().withName(binding).delete();
    cluster.close();
  }

  @Test
  void aFullCheckOfAHealthyPipelineAsksTheApiServerForItsLogAndCpuOnly() throws Exception {
    pipeline = new StandInPipeline();
    KubernetesClient admin = cluster.client();
    // the count, not RBAC, is under test here (the helm module proves the chart's RBAC)
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(binding)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("homenvr")
                .withNamespace(ns)
                .endSubject()
                .build())
        .create();
    operatorClient = cluster.real().clientAs(ns, "homenvr");
    String user = "system:serviceaccount:" + ns + ":homenvr";
    operator = startOperator(operatorClient);

    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setNamespace(ns);
    monitor.getMetadata().setGeneration(null);
    monitor.getSpec().getHealth().setCheckIntervalSeconds(1);
    monitor.getSpec().getHealth().setLogStaleSeconds(3600);
    CameraMonitor created = cluster.create(monitor);
    kubelet =
        new StandInKubelet(admin, ns, CameraMonitorResources.selectorLabels(created), pipeline);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              CameraMonitor read =
                  admin.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
              return read.getStatus() != null
                  && read.getStatus().getPhase() != null
                  && "Healthy".equals(read.getStatus().getPhase().name());
            });
    AuditLog audit = cluster.real().audit();
    // steady state: past the first checks, which read the node for the first time
    long settled = audit.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> logReads(audit, settled, user) >= 3);

    long from = audit.size();
    Instant start = Instant.now();
    await().atMost(Duration.ofSeconds(60)).until(() -> logReads(audit, from, user) >= CHECKS);
    List<AuditLog.Entry> window = requests(audit, from, user);
    Duration lasted = Duration.between(start, Instant.now());

    // long-running watches are the informers' (one each, not per check): audited when they end
    List<AuditLog.Entry> requests = window.stream().filter(e -> !e.verb().equals("watch")).toList();
    long checks = count(requests, "get", "pods/log");
    Map<String, Long> byKind =
        requests.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.verb() + " " + e.resourceName(), TreeMap::new, Collectors.counting()));
    double perCheck = (double) requests.size() / checks;
    System.out.printf(
        "API requests per full check of one CameraMonitor: %.2f (%d requests, %d checks in %d ms:"
            + " %s)%n",
        perCheck, requests.size(), checks, lasted.toMillis(), byKind);

    assertThat(count(requests, "list", "pods") + count(requests, "get", "pods"))
        .as("pods come from the informer's cache: %s", byKind)
        .isZero();
    assertThat(count(requests, "get", "pods.metrics.k8s.io"))
        .as("one CPU reading per check (a check may straddle the window's edge)")
        .isBetween(checks - 1, checks + 1);
    assertThat(count(requests, "get", "nodes"))
        .as("the node is read at most every 30 s, for all checks")
        .isLessThanOrEqualTo(lasted.toSeconds() / 30 + 1);
    // log and CPU, plus the odd node read and the status write of the check's clock once a minute
    assertThat(perCheck).as("requests per check: %s", byKind).isLessThanOrEqualTo(2.5);
  }

  private Operator startOperator(KubernetesClient client) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    Clock clock = Clock.systemUTC();
    EventRecorder events = new EventRecorder(client, clock, metrics, "test");
    StatusWriter writer = new StatusWriter(client, registry);
    ladder =
        RecoveryController.create(
            client, clock, events, registry, m -> pipeline.baseUrl(), "homenvr-aifix:test", writer);
    return TestCluster.startOperator(
        client,
        new CameraMonitorReconciler(
            new PipelineDefaults(TestCluster.PIPELINE_IMAGE),
            new StatusAggregator(clock),
            writer,
            events,
            metrics,
            Optional.of(ladder)),
        ns);
  }

  private static List<AuditLog.Entry> requests(AuditLog audit, long from, String user) {
    return audit.entriesBetween(from, audit.size()).stream()
        .filter(e -> e.user().equals(user))
        .toList();
  }

  private static long logReads(AuditLog audit, long from, String user) {
    return count(requests(audit, from, user), "get", "pods/log");
  }

  private static long count(List<AuditLog.Entry> entries, String verb, String resource) {
    return entries.stream()
        .filter(e -> e.verb().equals(verb) && e.resourceName().equals(resource))
        .count();
  }
}
