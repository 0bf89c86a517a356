package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.homenvr.testing.RealCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The k3s files work with this chart and this CRD. */
class K3sManifestsTest {
  private static final Path K3S = Chart.REPO.resolve("k3s");

  @Test
  void theHelmChartManifestsValuesPassTheChartsSchemaAndRender() throws IOException {
    GenericKubernetesResource helmChart =
        (GenericKubernetesResource)
            Chart.parse(Files.readString(K3S.resolve("homenvr-helmchart.yaml"))).get(0);
    Map<String, Object> spec = helmChart.get("spec");
    Path values = Files.createTempFile("helmchart-values", ".yaml");
    Files.writeString(values, (String) spec.get("valuesContent"));

    List<HasMetadata> objects = Chart.parse(Chart.template(c -> c.withValuesFile(values)));

    assertThat(helmChart.getApiVersion()).isEqualTo("helm.cattle.io/v1");
    assertThat((String) spec.get("chart")).endsWith("/homenvr-" + chartVersion() + ".tgz");
    assertThat(Chart.ofType(objects, Deployment.class)).hasSize(1);
  }

  /** The API server's own schema and CEL checks, unknown fields refused (kubectl's default). */
  @Test
  void theExampleCameraMonitorAndSecretsAreAcceptedByTheApiServer() throws IOException {
    RealCluster cluster = RealCluster.shared();
    cluster.installCrd(Chart.crd());
    String namespace = cluster.createNamespace("k3s-example");
    try {
      for (String file : List.of("example-secrets.yaml", "example-cameramonitor.yaml")) {
        for (GenericKubernetesResource object : Chart.parseGeneric(K3S.resolve(file))) {
          object.getMetadata().setNamespace(namespace);
          GenericKubernetesResource accepted =
              cluster
                  .admin()
                  .resource(object)
                  .dryRun()
                  .fieldValidation(FieldValidateable.Validation.STRICT)
                  .create();
          assertThat(accepted.getMetadata().getUid()).as(file).isNotNull();
        }
      }
    } finally {
      cluster.admin().namespaces().withName(namespace).delete();
    }
  }

  @Test
  void theExampleSecretsAreMarkedPlaceholders() throws IOException {
    List<Secret> secrets =
        Chart.ofType(
            Chart.parse(Files.readString(K3S.resolve("example-secrets.yaml"))), Secret.class);

    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("gate-cam", "telegram", "aifix");
    assertThat(secrets)
        .flatExtracting(s -> s.getStringData().values())
        .allMatch(value -> value.startsWith("CHANGE-ME"));
  }

  private static String chartVersion() throws IOException {
    return Files.readAllLines(Chart.DIR.resolve("Chart.yaml")).stream()
        .filter(l -> l.startsWith("version: "))
        .findFirst()
        .orElseThrow()
        .substring("version: ".length());
  }
}
