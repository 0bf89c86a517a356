package io.homenvr.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixture is the real thing: version, garbage collector, controllers, admission, RBAC. */
class RealClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private final RealCluster cluster = RealCluster.shared();
  private final KubernetesClient admin = cluster.admin();

  @Test
  void servesThePinnedReleaseNotV0() {
    assertThat(cluster.version()).matches("v1\\.\\d+\\.\\d+");
    assertThat(cluster.version()).isNotEqualTo("v0.0.0");
  }

  @Test
  void garbageCollectorDeletesWhatAnOwnerOwns() {
    String ns = cluster.createNamespace("gc");
    ConfigMap owner =
        admin
            .configMaps()
            .inNamespace(ns)
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    admin
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
    admin.configMaps().inNamespace(ns).withName("owner").delete();
    await()
        .atMost(DEADLINE)
        .until(() -> admin.configMaps().inNamespace(ns).withName("owned").get() == null);
  }

  @Test
  void deploymentControllerCreatesAdmittedPods() {
    String ns = cluster.createNamespace("deploy");
    admin
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "web"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("web")
                .withImage("example/web:1")
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                admin.pods().inNamespace(ns).withLabel("app", "web").list().getItems().size() == 1);
  }

  @Test
  void restrictedNamespaceRefusesAPrivilegedPod() {
    String ns = cluster.createNamespace("psa");
    assertThatThrownBy(
            () ->
                admin
                    .pods()
                    .inNamespace(ns)
                    .resource(
                        new PodBuilder()
                            .withNewMetadata()
                            .withName("root")
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("root")
                            .withImage("example/root:1")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
  }

  @Test
  void serviceAccountWithoutGrantsIsForbiddenAndAudited() {
    String ns = cluster.createNamespace("rbac");
    try (KubernetesClient nobody = cluster.clientAs(ns, "nobody")) {
      assertThatThrownBy(() -> nobody.configMaps().inNamespace(ns).list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }
    String user = "system:serviceaccount:" + ns + ":nobody";
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                cluster.audit().entriesOf(user).stream()
                    .anyMatch(
                        e ->
                            e.verb().equals("list")
                                && e.resource().equals("configmaps")
                                && !e.allowed()
                                && e.code() == 403));
  }
}
