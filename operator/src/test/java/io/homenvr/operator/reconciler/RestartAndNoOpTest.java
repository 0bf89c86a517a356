package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.events.EventRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reconciling a CameraMonitor that is already in line writes nothing, even after a restart. */
class RestartAndNoOpTest {
  private static final Map<String, String> MANAGED =
      Map.of("app.kubernetes.io/managed-by", "homenvr-operator");
  private static final Pattern SUCCESSES =
      Pattern.compile("(?m)^operator_sdk_reconciliations_success_total\\{[^}]*} ([0-9.]+)$");

  private TestCluster cluster;
  private KubernetesClient client;
  private HomenvrOperator operator;
  private String ns;

  @BeforeEach
  void start() {
    cluster = TestCluster.start();
    client = cluster.client();
    ns = cluster.namespace("steady");
    operator = cluster.startOperator(Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    operator.close();
    cluster.close();
  }

  @Test
  void aReconcileWithNothingToDoWritesNothing() throws Exception {
    Map<String, String> steady = steadyState();
    double before = successfulReconciliations();

    // a change to a referenced Secret triggers a reconciliation that has nothing to change
    client
        .secrets()
        .inNamespace(ns)
        .withName("gate-cam")
        .edit(
            s -> {
              s.getMetadata().setLabels(Map.of("touched", "yes"));
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(this::successfulReconciliations, after -> after > before);

    assertThat(resourceVersions()).isEqualTo(steady);
  }

  @Test
  void aRestartedOperatorCreatesNoDuplicatesAndWritesNothing() throws Exception {
    Map<String, String> steady = steadyState();
    int events = operatorEvents();

    operator.close();
    operator = cluster.startOperator(Clock.systemUTC());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(this::successfulReconciliations, after -> after >= 1);

    assertThat(resourceVersions()).isEqualTo(steady);
    // besides the cluster's own kube-root-ca.crt, one of each
    assertThat(client.configMaps().inNamespace(ns).withLabels(MANAGED).list().getItems())
        .hasSize(1);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.services().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(operatorEvents()).isEqualTo(events);
  }

  /** Events the operator wrote (the controllers write their own about the Deployment). */
  private int operatorEvents() {
    return (int)
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent()))
            .count();
  }

  /** One CameraMonitor with storage, reconciled until its status stops changing. */
  private Map<String, String> steadyState() {
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
    CameraMonitor monitor = CameraMonitors.home(ns);
    monitor.getSpec().getPipeline().setStorage(new StorageSpec());
    cluster.create(monitor);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get(),
            m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Pending);
    // settled: the same versions seen twice, half a second apart
    Map<String, String>[] last = new Map[] {Map.of()};
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, String> now = resourceVersions();
              boolean same = now.equals(last[0]);
              last[0] = now;
              return same ? now : null;
            },
            v -> v != null);
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    List<HasMetadata> objects =
        List.of(
            client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get(),
            client.configMaps().inNamespace(ns).withName("home-pipeline").get(),
            client.apps().deployments().inNamespace(ns).withName("home-pipeline").get(),
            client.services().inNamespace(ns).withName("home-pipeline").get(),
            client.persistentVolumeClaims().inNamespace(ns).withName("home-pipeline-data").get());
    objects.forEach(
        o ->
            versions.put(
                o.getKind() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
    return versions;
  }

  private double successfulReconciliations() throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + operator.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher matcher = SUCCESSES.matcher(metrics);
    double total = 0;
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }
}
