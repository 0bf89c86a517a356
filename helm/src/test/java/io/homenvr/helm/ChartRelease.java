package io.homenvr.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.testing.RealCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * helm/homenvr installed on the real control plane by the real Helm (helm-java), and what that
 * release put there. Release names must differ between tests: the chart's ClusterRoles are named
 * after the release.
 */
public final class ChartRelease {
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private final RealCluster cluster;
  private final String name;
  private final String namespace;

  private ChartRelease(RealCluster cluster, String name, String namespace) {
    this.cluster = cluster;
    this.name = name;
    this.namespace = namespace;
  }

  /** {@code helm install <name> helm/homenvr -n <namespace> --set ...}; the namespace exists. */
  public static ChartRelease install(
      RealCluster cluster, String name, String namespace, Map<String, Object> values) {
    InstallCommand install =
        new Helm(Chart.DIR)
            .install()
            .withName(name)
            .withNamespace(namespace)
            .withKubeConfig(cluster.kubeconfig());
    values.forEach(install::set);
    Release release = install.call();
    if (!"deployed".equals(release.getStatus())) {
      throw new AssertionError("helm install " + name + ": " + release.getStatus());
    }
    return new ChartRelease(cluster, name, namespace);
  }

  /** A release installed some other way (the helm CLI). */
  public static ChartRelease existing(RealCluster cluster, String name, String namespace) {
    return new ChartRelease(cluster, name, namespace);
  }

  /** {@code helm upgrade} with these values (not reusing the previous ones). */
  public Release upgrade(Map<String, Object> values) {
    UpgradeCommand upgrade =
        new Helm(Chart.DIR)
            .upgrade()
            .withName(name)
            .withNamespace(namespace)
            .withKubeConfig(cluster.kubeconfig());
    values.forEach(upgrade::set);
    return upgrade.call();
  }

  public void uninstall() {
    Helm.uninstall(name).withNamespace(namespace).withKubeConfig(cluster.kubeconfig()).call();
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  /** The operator's Deployment as the API server stores it. */
  public Deployment deployment() {
    List<Deployment> deployments =
        cluster
            .admin()
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabel(INSTANCE_LABEL, name)
            .list()
            .getItems();
    if (deployments.size() != 1) {
      throw new AssertionError("release " + name + " has " + deployments.size() + " Deployments");
    }
    return deployments.get(0);
  }

  /** The ServiceAccount the operator's pods run as. */
  public String serviceAccount() {
    return deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
  }

  /** The user the API server sees when the operator's pod calls it. */
  public String serviceAccountUser() {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount();
  }

  /**
   * The operator container's environment as the kubelet would give it to a pod {@code podName}:
   * values as they are, field references resolved.
   */
  public Map<String, String> operatorEnv(String podName) {
    Container container = deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValueFrom() == null) {
        // the API server omits an empty value
        env.put(variable.getName(), Objects.requireNonNullElse(variable.getValue(), ""));
      } else {
        String field = variable.getValueFrom().getFieldRef().getFieldPath();
        env.put(
            variable.getName(),
            switch (field) {
              case "metadata.namespace" -> namespace;
              case "metadata.name" -> podName;
              default -> throw new AssertionError("the chart refers to field " + field);
            });
      }
    }
    return env;
  }

  /** Every Role, ClusterRole and binding of this release, as stored. */
  public List<HasMetadata> rbac() {
    KubernetesClient admin = cluster.admin();
    var rbac = admin.rbac();
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(rbac.clusterRoles().withLabel(INSTANCE_LABEL, name).list().getItems());
    objects.addAll(rbac.clusterRoleBindings().withLabel(INSTANCE_LABEL, name).list().getItems());
    objects.addAll(rbac.roles().inAnyNamespace().withLabel(INSTANCE_LABEL, name).list().getItems());
    objects.addAll(
        rbac.roleBindings().inAnyNamespace().withLabel(INSTANCE_LABEL, name).list().getItems());
    return objects;
  }
}
