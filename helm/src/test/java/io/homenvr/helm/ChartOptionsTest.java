package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each option changes in the rendered objects. */
class ChartOptionsTest {
  @Test
  void defaultsRunTheOperatorImageOfThisVersionWithProbesOnOnePort() {
    List<HasMetadata> objects = Chart.render(Map.of());
    Container operator = operatorContainer(objects);

    assertThat(operator.getImage()).isEqualTo("homenvr-operator:0.1.0");
    assertThat(env(operator))
        .containsEntry("HOMENVR_PIPELINE_IMAGE", "homenvr-pipeline:0.1.0")
        .containsEntry("HOMENVR_AIFIX_IMAGE", "homenvr-aifix:0.1.0")
        .containsEntry("HOMENVR_WATCH_NAMESPACES", "")
        .containsEntry("HOMENVR_LEADER_ELECTION", "true")
        .containsEntry("HOMENVR_HTTP_PORT", "8080");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(Chart.ofType(objects, GenericKubernetesResource.class)).isEmpty();
    assertThat(Chart.ofType(objects, ConfigMap.class)).isEmpty();
  }

  @Test
  void imageTagsFollowTheValues() {
    Container operator =
        operatorContainer(
            Chart.render(
                Map.of(
                    "image.repository", "registry.lan/homenvr-operator",
                    "image.tag", "dev",
                    "pipeline.image.tag", "0.1.1")));

    assertThat(operator.getImage()).isEqualTo("registry.lan/homenvr-operator:dev");
    assertThat(env(operator)).containsEntry("HOMENVR_PIPELINE_IMAGE", "homenvr-pipeline:0.1.1");
  }

  @Test
  void watchNamespacesBecomeTheOperatorsSettingAndOneRolePerNamespace() {
    List<HasMetadata> objects = Chart.render(Scenarios.ALL.get("watchNamespaces set"));

    assertThat(env(operatorContainer(objects)))
        .containsEntry("HOMENVR_WATCH_NAMESPACES", "nvr,garage");
    assertThat(Chart.ofType(objects, RoleBinding.class))
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("nvr", "garage", Chart.NAMESPACE);
    assertThat(Chart.ofType(objects, ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("homenvr-nodes");
  }

  @Test
  void withoutLeaderElectionTwoOperatorsNeverOverlap() {
    List<HasMetadata> objects = Chart.render(Scenarios.ALL.get("leaderElection off"));
    Deployment deployment = Chart.ofType(objects, Deployment.class).get(0);

    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(env(operatorContainer(objects))).containsEntry("HOMENVR_LEADER_ELECTION", "false");
    assertThat(Chart.ofType(objects, Role.class)).isEmpty();
  }

  @Test
  void serviceMonitorsScrapeTheOperatorAndThePipelines() {
    List<HasMetadata> objects = Chart.render(Scenarios.ALL.get("serviceMonitor on"));
    List<GenericKubernetesResource> monitors =
        Chart.ofType(objects, GenericKubernetesResource.class);

    assertThat(monitors).extracting(HasMetadata::getKind).containsOnly("ServiceMonitor");
    assertThat(monitors)
        .extracting(m -> m.getMetadata().getName())
        .containsExactlyInAnyOrder("homenvr", "homenvr-pipelines");
    assertThat(monitors)
        .allSatisfy(
            m ->
                assertThat(m.getMetadata().getLabels())
                    .containsEntry("release", "kube-prometheus-stack"));
  }

  @Test
  void theDashboardConfigMapIsForTheGrafanaSidecar() throws Exception {
    ConfigMap dashboard =
        Chart.ofType(Chart.render(Scenarios.ALL.get("grafanaDashboard on")), ConfigMap.class)
            .get(0);

    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("homenvr.json"));
    assertThat(json.get("uid").asText()).isEqualTo("homenvr");
    assertThat(json.get("panels")).isNotEmpty();
  }

  @Test
  void withoutRbacTheChartCreatesNoRolesAndUsesTheGivenServiceAccount() {
    List<HasMetadata> objects = Chart.render(Scenarios.ALL.get("rbac and serviceAccount off"));

    assertThat(objects)
        .noneMatch(o -> o.getApiVersion().startsWith("rbac.authorization.k8s.io"))
        .noneMatch(ServiceAccount.class::isInstance);
    assertThat(
            Chart.ofType(objects, Deployment.class)
                .get(0)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getServiceAccountName())
        .isEqualTo("nvr-operator");
  }

  @Test
  void theRootFilesystemIsReadOnlyAndTmpIsAnEmptyDir() {
    PodSpec pod =
        Chart.ofType(Chart.render(Map.of()), Deployment.class)
            .get(0)
            .getSpec()
            .getTemplate()
            .getSpec();

    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(pod.getVolumes()).allMatch(v -> v.getEmptyDir() != null);
  }

  /** A watched namespace exists before the install (its Role is in it): no create to tell. */
  @Test
  void theNotesCreateOnlyANamespaceThatCannotExistYet() {
    String watching = notes(Map.of("watchNamespaces[0]", "garage"));
    String everywhere = notes(Map.of());

    assertThat(watching)
        .doesNotContain("kubectl create namespace")
        .contains("kubectl -n garage apply -f example-secrets.yaml");
    assertThat(everywhere)
        .contains(
            "kubectl create namespace nvr\n     kubectl -n nvr apply -f example-secrets.yaml");
  }

  private static String notes(Map<String, Object> values) {
    InstallCommand install =
        new Helm(Chart.DIR)
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .withKubeVersion(Chart.KUBE_VERSION)
            .clientOnly()
            .dryRun();
    values.forEach(install::set);
    return install.call().getOutput();
  }

  static Container operatorContainer(List<HasMetadata> objects) {
    return Chart.ofType(objects, Deployment.class)
        .get(0)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
