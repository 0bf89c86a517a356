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
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline image and an AI fix's configuration change as the Deployment renders them, on a real
 * API server, with no health loop: no periodic check reconciles, so only the CameraMonitor's own
 * events can bring an override written to status into the Deployment.
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
    operator =
        TestCluster.startOperator(
            client,
            new CameraMonitorReconciler(
                new PipelineDefaults(TestCluster.PIPELINE_IMAGE),
                new StatusAggregator(clock),
                new StatusWriter(client, registry),
                new EventRecorder(client, clock, metrics, "test"),
                metrics,
                Optional.empty()),
            ns);
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

  @Test
  void aConfigOverrideInStatusIsRenderedIntoTheDeploymentAndASpecThatNoLongerAllowsItWins() {
    cluster.createSecret(ns, "anthropic", Map.of("apiKey", "sk-ant-not-real"));
    cluster.createSecret(ns, "git", Map.of("token", "not-real"));
    CameraMonitor monitor = Monitors.withAiFix(Monitors.monitor("gate"));
    monitor.getSpec().getEscalation().getAiFix().getConfigFixes().setMaxMemoryLimit("4Gi");
    monitor.getMetadata().setNamespace(ns);
    monitor.getMetadata().setGeneration(null);
    cluster.create(monitor);
    await().atMost(DEADLINE).until(() -> "1536Mi".equals(memoryLimit()));
    String checksum = checksum();
    long generation = stored().getMetadata().getGeneration();

    client
        .resources(CameraMonitor.class)
        .inNamespace(ns)
        .withName("home")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status":{"overrides":{"config":{
              "specPath":"spec.pipeline.resources.limits.memory","from":"1536Mi","to":"3Gi",
              "incident":"i",
              "proposal":"{\\"type\\":\\"config\\",\\"field\\":\\"pipeline.resources.limits.memory\\",\\"value\\":\\"3Gi\\"}"}}}}
            """);

    await().atMost(DEADLINE).until(() -> "3Gi".equals(memoryLimit()));
    assertThat(checksum()).as("pipeline.yaml is unchanged by a memory change").isEqualTo(checksum);
    assertThat(stored().getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(stored().getSpec().getPipeline().getResources()).as("the user's spec").isNull();

    // the user lowers the cap below the override: re-judged at render, it no longer applies
    cluster.editMonitor(
        ns,
        "home",
        m -> m.getSpec().getEscalation().getAiFix().getConfigFixes().setMaxMemoryLimit("2Gi"));

    await().atMost(DEADLINE).until(() -> "1536Mi".equals(memoryLimit()));
  }

  private String memoryLimit() {
    Deployment deployment =
        client.apps().deployments().inNamespace(ns).withName("home-pipeline").get();
    return deployment == null
        ? null
        : deployment
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getLimits()
            .get("memory")
            .toString();
  }

  private String checksum() {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("home-pipeline")
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(CameraMonitorResources.CONFIG_CHECKSUM_ANNOTATION);
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
