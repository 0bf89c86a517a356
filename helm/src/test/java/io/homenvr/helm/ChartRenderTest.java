package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario renders, every object is a kind fabric8 knows, and the API server accepts it. */
@EnableKubernetesMockClient(crud = true)
class ChartRenderTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  static final CustomResourceDefinitionContext SERVICE_MONITOR =
      new CustomResourceDefinitionContext.Builder()
          .withGroup("monitoring.coreos.com")
          .withVersion("v1")
          .withKind("ServiceMonitor")
          .withPlural("servicemonitors")
          .withScope("Namespaced")
          .build();

  static {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }

  @BeforeAll
  static void installTheChartsCrdAndTheServiceMonitorKind() throws IOException {
    server.expectCustomResource(SERVICE_MONITOR);
    try (InputStream crd =
        Files.newInputStream(Chart.DIR.resolve("crds/cameramonitors.homenvr.io-v1.yml"))) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.homenvr.helm.Scenarios#all")
  void rendersParsesAndApplies(String scenario, Map<String, Object> values) {
    List<HasMetadata> objects = Chart.render(values);

    assertThat(objects).isNotEmpty();
    assertThat(objects)
        .filteredOn(o -> o instanceof GenericKubernetesResource)
        .as("only the Prometheus Operator's kinds may be unknown to fabric8")
        .allMatch(o -> o.getApiVersion().equals("monitoring.coreos.com/v1"));
    String namespace = "render-" + Math.abs(scenario.hashCode());
    for (HasMetadata object : objects) {
      // each scenario in its own namespace, so cluster-scoped names are the only ones to clash
      if (object.getMetadata().getNamespace() != null
          && object.getMetadata().getNamespace().equals(Chart.NAMESPACE)) {
        object.getMetadata().setNamespace(namespace);
      }
      HasMetadata applied = client.resource(object).createOr(existing -> existing.update());
      assertThat(applied.getMetadata().getUid()).as("%s applied", describe(object)).isNotNull();
    }
  }

  private static String describe(HasMetadata object) {
    return object.getKind() + " " + object.getMetadata().getName();
  }
}
