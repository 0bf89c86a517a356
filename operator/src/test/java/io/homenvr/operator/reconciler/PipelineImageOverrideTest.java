package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline image as the Deployment renders it, on a real API server, with no health loop: no
 * periodic check reconciles, so only the CameraMonitor's own events can bring an override written
 * to status into the Deployment.
 */
class PipelineImageOverrideTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String FIX_IMAGE = "homenvr-pipeline:fix-abc123";

  private TestCluster cluster;
  private KubernetesClient client;
  private String ns;
  private Operator operator;

  @BeforeEach
  void start() {
    cluster = TestCluster.start();
    client = cluster.client();
    ns = cluster.namespace("override");
    Clock clock = Clock.systemUTC();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(
        new CameraMonitorReconciler(
            new PipelineDefaults(TestCluster.PIPELINE_IMAGE),
            new StatusAggregator(clock),
            new StatusWriter(client, registry),
            new EventRecorder(client, clock, metrics, "test"),
            metrics,
            Optional.empty()),
        controller -> controller.settingNamespaces(ns));
    operator.start();
  }

  @AfterEach
  void stop() {
    operator.stop();
    cluster.close();
  }

  @Test
  void anOverrideInStatusIsRenderedAtOnceAndASpecImageChangedSinceWins() {
    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setNamespace(ns);
    monitor.getMetadata().setGeneration(null);
    cluster.create(monitor);
    await()
        .atMost(DEADLINE)
        .until(() -> TestCluster.PIPELINE_IMAGE.equals(image()) && stored().getStatus() != null);
    long generation = stored().getMetadata().getGeneration();

    client
        .resources(CameraMonitor.class)
        .inNamespace(ns)
        .withName("home")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"overrides\":{\"pipelineImage\":\""
                + FIX_IMAGE
                + "\",\"reason\":\"AI fix of incident i, job j, commit abc123\"}}}");

    // a status write alone: generation-aware event filtering would drop it
    await().atMost(DEADLINE).until(() -> FIX_IMAGE.equals(image()));
    assertThat(stored().getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(stored().getSpec().getPipeline().getImage()).isNull();

    cluster.editMonitor(
        ns, "home", m -> m.getSpec().getPipeline().setImage("homenvr-pipeline:mine"));

    await().atMost(DEADLINE).until(() -> "homenvr-pipeline:mine".equals(image()));
    assertThat(stored().getStatus().getOverrides().getPipelineImage())
        .as("clearing it is the health loop's, absent here")
        .isEqualTo(FIX_IMAGE);
  }

  private CameraMonitor stored() {
    return client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
  }

  private String image() {
    Deployment deployment =
        client.apps().deployments().inNamespace(ns).withName("home-pipeline").get();
    return deployment == null
        ? null
        : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
