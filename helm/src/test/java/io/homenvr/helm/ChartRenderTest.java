package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.homenvr.testing.RealCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every values scenario renders, and the real API server accepts every rendered object (server-side
 * apply, dry run, unknown fields refused) and admits the operator's pod under Pod Security
 * "restricted".
 */
class ChartRenderTest {
  static final RealCluster CLUSTER = RealCluster.shared();
  static final KubernetesClient ADMIN = CLUSTER.admin();
  static final List<String> NAMESPACES = new ArrayList<>();

  /**
   * The Prometheus Operator's kind, so that the API server serves it; its schema is not ours to
   * check (any content is kept), only that the chart's ServiceMonitors are namespaced objects of
   * it.
   */
  static final CustomResourceDefinition SERVICE_MONITOR =
      new CustomResourceDefinitionBuilder()
          .withNewMetadata()
          .withName("servicemonitors.monitoring.coreos.com")
          .endMetadata()
          .withNewSpec()
          .withGroup("monitoring.coreos.com")
          .withScope("Namespaced")
          .withNewNames()
          .withKind("ServiceMonitor")
          .withListKind("ServiceMonitorList")
          .withPlural("servicemonitors")
          .withSingular("servicemonitor")
          .endNames()
          .addNewVersion()
          .withName("v1")
          .withServed(true)
          .withStorage(true)
          .withNewSchema()
          .withNewOpenAPIV3Schema()
          .withType("object")
          .withXKubernetesPreserveUnknownFields(true)
          .endOpenAPIV3Schema()
          .endSchema()
          .endVersion()
          .endSpec()
          .build();

  @BeforeAll
  static void serveTheServiceMonitorKind() {
    CLUSTER.installCrd(SERVICE_MONITOR);
  }

  @AfterAll
  static void deleteTheNamespaces() {
    NAMESPACES.forEach(n -> ADMIN.namespaces().withName(n).delete());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.homenvr.helm.Scenarios#all")
  void rendersAndTheApiServerAcceptsEveryObject(String scenario, Map<String, Object> values) {
    String manifest = Chart.template(values);
    List<HasMetadata> typed = Chart.parse(manifest);
    assertThat(typed)
        .filteredOn(o -> o instanceof GenericKubernetesResource)
        .as("only the Prometheus Operator's kinds may be unknown to fabric8")
        .allMatch(o -> o.getApiVersion().equals("monitoring.coreos.com/v1"));

    // every namespace the chart writes to (release, watched, Grafana's) becomes a fresh one
    Map<String, String> namespaces = new HashMap<>();
    for (GenericKubernetesResource object : Chart.parseGeneric(manifest)) {
      String namespace = object.getMetadata().getNamespace();
      if (namespace != null) {
        object.getMetadata().setNamespace(namespaces.computeIfAbsent(namespace, this::fresh));
      }
      HasMetadata applied =
          ADMIN
              .resource(object)
              .dryRun()
              .fieldValidation(FieldValidateable.Validation.STRICT)
              .fieldManager("chart-render-test")
              .forceConflicts()
              .serverSideApply();
      assertThat(applied.getMetadata().getUid())
          .as("%s %s accepted", object.getKind(), object.getMetadata().getName())
          .isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.homenvr.helm.Scenarios#all")
  void theOperatorsPodIsAdmittedUnderPodSecurityRestricted(
      String scenario, Map<String, Object> values) {
    Deployment deployment = Chart.ofType(Chart.render(values), Deployment.class).get(0);
    String namespace = fresh("restricted");
    Pod pod =
        new PodBuilder()
            .withMetadata(deployment.getSpec().getTemplate().getMetadata())
            .editMetadata()
            .withName("operator")
            .withNamespace(namespace)
            .endMetadata()
            .withSpec(deployment.getSpec().getTemplate().getSpec())
            .build();

    Pod admitted = ADMIN.resource(pod).dryRun().create();

    assertThat(admitted.getMetadata().getUid()).isNotNull();
  }

  private String fresh(String prefix) {
    String namespace = CLUSTER.createNamespace("render-" + prefix);
    NAMESPACES.add(namespace);
    return namespace;
  }
}
