package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cluster DNS for the sandbox: a hosts file mapping each Service's names ({@code
 * <svc>.<ns>.svc[.cluster.local]}) to the address of a pod it selects, ready pods first. JVMs
 * started with {@code -Djdk.net.hosts.file} (the operator) resolve through it, so the operator
 * reaches the pipeline through its Service as in a cluster. A Service with no pod resolves to an
 * address where nothing listens: connections are refused, as with no endpoints.
 */
final class ServiceDns {
  /** Loopback address no pod is given: the sandbox's "Service without endpoints". */
  static final String NO_ENDPOINTS = "127.0.0.255";

  private final Path hostsFile;
  private String written = "";

  ServiceDns(Path hostsFile) {
    this.hostsFile = hostsFile;
  }

  void update(List<Service> services, List<Pod> pods, Map<String, String> podAddresses)
      throws IOException {
    StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
    for (Service service : services) {
      String namespace = service.getMetadata().getNamespace();
      Map<String, String> selector = service.getSpec().getSelector();
      String address =
          pods.stream()
              .filter(pod -> namespace.equals(pod.getMetadata().getNamespace()))
              .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
              .filter(pod -> selector != null && !selector.isEmpty() && selects(selector, pod))
              .sorted((a, b) -> Boolean.compare(ready(b), ready(a)))
              .map(pod -> podAddresses.get(pod.getMetadata().getUid()))
              .filter(Objects::nonNull)
              .findFirst()
              .orElse(NO_ENDPOINTS);
      String name = service.getMetadata().getName() + "." + namespace;
      hosts
          .append(address)
          .append(' ')
          .append(name)
          .append(".svc ")
          .append(name)
          .append(".svc.cluster.local ")
          .append(name)
          .append('\n');
    }
    String content = hosts.toString();
    if (!content.equals(written)) {
      Path temporary = hostsFile.resolveSibling(hostsFile.getFileName() + ".new");
      Files.writeString(temporary, content);
      Files.move(
          temporary,
          hostsFile,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      written = content;
    }
  }

  private static boolean selects(Map<String, String> selector, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
