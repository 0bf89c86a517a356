package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** What a pod needs from the node: its volumes, its image's command, its environment's values. */
final class ContainerRuntime {
  private final KubernetesClient client;
  private final ContainerImages images;
  private final Path claimsRoot;
  private final Path clusterCa;

  ContainerRuntime(
      KubernetesClient client, ContainerImages images, Path claimsRoot, Path clusterCa) {
    this.client = client;
    this.images = images;
    this.claimsRoot = claimsRoot;
    this.clusterCa = clusterCa;
  }

  ContainerImages images() {
    return images;
  }

  PodDirectory materialise(Pod pod, Container container, Path podRoot) throws IOException {
    return PodDirectory.materialise(client, pod, container, podRoot, claimsRoot, clusterCa);
  }

  /** An env var's value: literal, or from a Secret or ConfigMap key; empty if it has none. */
  Optional<String> envValue(String namespace, EnvVar var) {
    if (var.getValueFrom() == null) {
      return Optional.ofNullable(var.getValue());
    }
    var secretRef = var.getValueFrom().getSecretKeyRef();
    if (secretRef != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretRef.getName()).get();
      if (secret == null) {
        return Optional.empty();
      }
      if (secret.getStringData() != null
          && secret.getStringData().containsKey(secretRef.getKey())) {
        return Optional.of(secret.getStringData().get(secretRef.getKey()));
      }
      return Optional.ofNullable(secret.getData())
          .map(data -> data.get(secretRef.getKey()))
          .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }
    var configMapRef = var.getValueFrom().getConfigMapKeyRef();
    if (configMapRef != null) {
      ConfigMap configMap =
          client.configMaps().inNamespace(namespace).withName(configMapRef.getName()).get();
      return Optional.ofNullable(configMap)
          .map(ConfigMap::getData)
          .map(data -> data.get(configMapRef.getKey()));
    }
    return Optional.empty();
  }
}
