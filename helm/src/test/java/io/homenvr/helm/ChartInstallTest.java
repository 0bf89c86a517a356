package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.testing.RealCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * helm install, upgrade and uninstall of the chart on the real API server, with the real
 * controllers behind it: the ReplicaSet controller creates the operator's pod in a namespace where
 * Pod Security "restricted" is enforced, so the pod exists only if admission admitted it.
 */
class ChartInstallTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private final RealCluster cluster = RealCluster.shared();
  private final KubernetesClient admin = cluster.admin();

  @Test
  void installsUpgradesAndUninstalls() {
    String namespace = cluster.createNamespace("install");
    String watched = cluster.createNamespace("install-nvr");
    try {
      ChartRelease release =
          ChartRelease.install(
              cluster, "install-test", namespace, Map.of("watchNamespaces[0]", watched));

      // Helm waits for the CRDs it installs from crds/ to be established before the templates
      assertThat(RealCluster.established(crd())).as("CRD established after install").isTrue();
      Deployment deployment = release.deployment();
      assertThat(deployment.getMetadata().getName()).isEqualTo("install-test-homenvr");
      assertThat(
              admin
                  .serviceAccounts()
                  .inNamespace(namespace)
                  .withName(release.serviceAccount())
                  .get())
          .isNotNull();
      assertThat(
              admin
                  .services()
                  .inNamespace(namespace)
                  .withName("install-test-homenvr-metrics")
                  .get()
                  .getSpec()
                  .getPorts())
          .singleElement()
          .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
      assertThat(release.rbac())
          .extracting(o -> o.getKind() + " " + namespaceOf(o) + "/" + o.getMetadata().getName())
          .containsExactlyInAnyOrder(
              "Role " + watched + "/install-test-homenvr",
              "RoleBinding " + watched + "/install-test-homenvr",
              "Role " + namespace + "/install-test-homenvr-leader-election",
              "RoleBinding " + namespace + "/install-test-homenvr-leader-election",
              "ClusterRole /install-test-homenvr-nodes",
              "ClusterRoleBinding /install-test-homenvr-nodes");
      Pod pod = awaitOperatorPods(namespace, 1).get(0);
      assertThat(pod.getMetadata().getOwnerReferences())
          .extracting("kind")
          .containsExactly("ReplicaSet");

      Release upgraded =
          release.upgrade(Map.of("watchNamespaces[0]", watched, "logLevel", "debug"));

      assertThat(upgraded.getRevision()).isEqualTo("2");
      assertThat(
              ChartOptionsTest.env(
                  release.deployment().getSpec().getTemplate().getSpec().getContainers().get(0)))
          .hasEntrySatisfying(
              "JAVA_TOOL_OPTIONS", v -> assertThat(v).contains("defaultLogLevel=debug"));
      // the rollout's new ReplicaSet creates a pod of the new template, admitted too
      awaitOperatorPods(namespace, 2);

      release.uninstall();

      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  admin.apps().deployments().inNamespace(namespace).list().getItems().isEmpty()
                      && release.rbac().isEmpty()
                      && admin
                              .serviceAccounts()
                              .inNamespace(namespace)
                              .withName("install-test-homenvr")
                              .get()
                          == null);
      assertThat(crd()).as("Helm never deletes the CRDs of crds/").isNotNull();
    } finally {
      admin.namespaces().withName(namespace).delete();
      admin.namespaces().withName(watched).delete();
    }
  }

  /** The negative control: weakened values, and Pod Security admission refuses the pod. */
  @Test
  void aPodThatMayRunAsRootIsRefusedByPodSecurityAdmission() {
    String namespace = cluster.createNamespace("install-root");
    try {
      ChartRelease release =
          ChartRelease.install(
              cluster,
              "install-root",
              namespace,
              Map.of(
                  "podSecurityContext.runAsNonRoot", false,
                  "podSecurityContext.runAsUser", 0,
                  "securityContext.runAsNonRoot", false));

      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  events(namespace).stream()
                      .anyMatch(
                          e ->
                              "FailedCreate".equals(e.getReason())
                                  && "ReplicaSet".equals(e.getInvolvedObject().getKind())));
      assertThat(events(namespace))
          .filteredOn(e -> "FailedCreate".equals(e.getReason()))
          .first()
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .contains(
                          "violates PodSecurity \"restricted:latest\"",
                          "runAsNonRoot != true",
                          "runAsUser=0"));
      assertThat(admin.pods().inNamespace(namespace).list().getItems()).isEmpty();
      release.uninstall();
    } finally {
      admin.namespaces().withName(namespace).delete();
    }
  }

  private CustomResourceDefinition crd() {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("cameramonitors.homenvr.io")
        .get();
  }

  private List<Pod> awaitOperatorPods(String namespace, int count) {
    await()
        .atMost(DEADLINE)
        .until(() -> admin.pods().inNamespace(namespace).list().getItems().size() == count);
    return admin.pods().inNamespace(namespace).list().getItems();
  }

  private List<Event> events(String namespace) {
    return admin.v1().events().inNamespace(namespace).list().getItems();
  }

  private static String namespaceOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    return object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace();
  }
}
