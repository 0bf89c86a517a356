package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod's volumes as local directories, and the rewriting that makes a process see them: with no
 * mount namespace, every mountPath (e.g. /etc/homenvr, /data, /tmp) is replaced by its local
 * directory in the container's arguments, its environment and the files of its ConfigMap volumes.
 */
public final class PodDirectory {
  /** Where a pod finds its ServiceAccount's token, rewritten like a mount. */
  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** Where a container's termination message goes, rewritten like a mount. */
  static final String TERMINATION_LOG = "/dev/termination-log";

  private final Path root;
  private final Map<String, Path> mounts = new LinkedHashMap<>();

  private PodDirectory(Path root) {
    this.root = root;
  }

  /**
   * Materialises the volumes the container mounts: ConfigMap and Secret keys as files, emptyDirs as
   * empty directories, PersistentVolumeClaims as one directory per claim that outlives pods.
   *
   * @throws MissingVolumeSourceException when a referenced ConfigMap or Secret does not exist
   */
  static PodDirectory materialise(
      KubernetesClient client,
      Pod pod,
      Container container,
      Path podRoot,
      Path claimsRoot,
      Path clusterCa)
      throws IOException {
    PodDirectory directory = new PodDirectory(podRoot);
    Files.createDirectories(podRoot);
    String namespace = pod.getMetadata().getNamespace();
    Map<String, Volume> volumes = new LinkedHashMap<>();
    for (Volume volume : pod.getSpec().getVolumes()) {
      volumes.put(volume.getName(), volume);
    }
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new MissingVolumeSourceException("volume " + mount.getName() + " is not in the pod");
      }
      Path local;
      if (volume.getPersistentVolumeClaim() != null) {
        local =
            claimsRoot.resolve(namespace + "_" + volume.getPersistentVolumeClaim().getClaimName());
      } else {
        local = podRoot.resolve("volumes").resolve(volume.getName());
      }
      Files.createDirectories(local);
      directory.mounts.put(trimSlash(mount.getMountPath()), local);
    }
    directory.mounts.put(TERMINATION_LOG, podRoot.resolve("termination-log"));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      Path local = directory.mounts.get(trimSlash(mount.getMountPath()));
      if (volume.getConfigMap() != null) {
        ConfigMap configMap =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(volume.getConfigMap().getName())
                .get();
        if (configMap == null) {
          throw new MissingVolumeSourceException(
              "configmap \"" + volume.getConfigMap().getName() + "\" not found");
        }
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        for (Map.Entry<String, String> entry : select(data, volume.getConfigMap().getItems())) {
          Files.writeString(
              local.resolve(entry.getKey()),
              directory.rewrite(entry.getValue()),
              StandardCharsets.UTF_8);
        }
      } else if (volume.getSecret() != null) {
        Secret secret =
            client
                .secrets()
                .inNamespace(namespace)
                .withName(volume.getSecret().getSecretName())
                .get();
        if (secret == null) {
          throw new MissingVolumeSourceException(
              "secret \"" + volume.getSecret().getSecretName() + "\" not found");
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
          secret
              .getData()
              .forEach(
                  (key, value) ->
                      data.put(
                          key,
                          new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
          data.putAll(secret.getStringData());
        }
        int mode =
            volume.getSecret().getDefaultMode() == null
                ? DEFAULT_MODE
                : volume.getSecret().getDefaultMode();
        for (Map.Entry<String, String> entry : select(data, volume.getSecret().getItems())) {
          Path file = local.resolve(entry.getKey());
          Files.writeString(file, entry.getValue(), StandardCharsets.UTF_8);
          // the volume's defaultMode, as the kubelet sets it (owner bits: one user runs it all)
          Files.setPosixFilePermissions(file, permissions(mode));
        }
      }
    }
    // with ServiceAccount admission off (kube-api-test's), a pod that names no account has none
    String account = pod.getSpec().getServiceAccountName();
    if (!Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())
        && account != null
        && !account.isBlank()) {
      try {
        directory.mountServiceAccount(client, pod, clusterCa);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        throw new MissingVolumeSourceException(
            "no token for serviceaccount \"" + account + "\": " + e.getMessage());
      }
    }
    return directory;
  }

  /**
   * What ServiceAccount admission and the kubelet give a pod that does not opt out: a token of its
   * ServiceAccount (TokenRequest, bound to the pod), the cluster's CA and its namespace at {@value
   * #SERVICE_ACCOUNT_DIR}; plus a kubeconfig made of them, since a process here cannot reach the
   * API server at the in-cluster address. The kubeconfig carries the token itself: with {@code
   * tokenFile}, fabric8 7.5.2's JDK client had its first list of the operator's informers end in an
   * HTTP/2 GOAWAY after 20 s, every time.
   */
  private void mountServiceAccount(KubernetesClient client, Pod pod, Path clusterCa)
      throws IOException {
    String namespace = pod.getMetadata().getNamespace();
    String account = pod.getSpec().getServiceAccountName();
    String token =
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(86_400L)
                    .withNewBoundObjectRef()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .endBoundObjectRef()
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path local = root.resolve("volumes/kube-api-access");
    Files.createDirectories(local);
    Files.writeString(local.resolve("token"), token, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(local.resolve("token"), permissions(0600));
    Files.copy(clusterCa, local.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(local.resolve("namespace"), namespace, StandardCharsets.UTF_8);
    Files.writeString(
        local.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster: {server: "%s", certificate-authority: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: in-cluster
          context: {cluster: sandbox, user: %s, namespace: %s}
        current-context: in-cluster
        """
            .formatted(
                client.getMasterUrl().toString().replaceAll("/$", ""),
                local.resolve("ca.crt"),
                account,
                token,
                account,
                namespace),
        StandardCharsets.UTF_8);
    mounts.put(SERVICE_ACCOUNT_DIR, local);
  }

  /** Kubernetes' default mode for Secret and ConfigMap volume files. */
  private static final int DEFAULT_MODE = 0644;

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> set =
        java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
    java.nio.file.attribute.PosixFilePermission[] bits = {
      java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE,
      java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE,
      java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
      java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE,
      java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
      java.nio.file.attribute.PosixFilePermission.GROUP_READ,
      java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE,
      java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
      java.nio.file.attribute.PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static List<Map.Entry<String, String>> select(
      Map<String, String> data, List<KeyToPath> items) {
    if (items == null || items.isEmpty()) {
      return List.copyOf(data.entrySet());
    }
    return items.stream()
        .filter(item -> data.containsKey(item.getKey()))
        .map(item -> Map.entry(item.getPath(), data.get(item.getKey())))
        .toList();
  }

  /**
   * Replaces every mountPath that starts a path in the text by its local directory, in one pass (a
   * local directory may itself lie under a mountPath such as /tmp).
   */
  public String rewrite(String text) {
    String alternatives =
        mounts.keySet().stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .map(Pattern::quote)
            .reduce((a, b) -> a + "|" + b)
            .orElse(null);
    if (alternatives == null) {
      return text;
    }
    Pattern prefix =
        Pattern.compile("(?<![\\w./-])(" + alternatives + ")(?=/|$|[\\s\"',;])", Pattern.MULTILINE);
    Matcher matcher = prefix.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(
          result, Matcher.quoteReplacement(mounts.get(matcher.group(1)).toString()));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  public Path root() {
    return root;
  }

  Path terminationLog() {
    return mounts.get(TERMINATION_LOG);
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** A volume's source object is missing: the pod waits, as with ContainerCreating. */
  static final class MissingVolumeSourceException extends IOException {
    MissingVolumeSourceException(String message) {
      super(message);
    }
  }
}
