package io.homenvr.helm;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standard "restricted" (which includes "baseline"), as the API server's
 * PodSecurity admission checks it: each violation names the field.
 */
final class RestrictedPodSecurity {
  private static final Set<String> ALLOWED_CAPABILITY_ADDS = Set.of("NET_BIND_SERVICE");
  private static final Set<String> ALLOWED_SECCOMP = Set.of("RuntimeDefault", "Localhost");

  private RestrictedPodSecurity() {}

  static List<String> violations(PodSpec pod) {
    List<String> found = new ArrayList<>();
    PodSecurityContext podContext =
        Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      found.add("spec.hostNetwork must not be true");
    }
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      found.add("spec.hostPID must not be true");
    }
    if (Boolean.TRUE.equals(pod.getHostIPC())) {
      found.add("spec.hostIPC must not be true");
    }
    for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
      boolean allowedType =
          volume.getConfigMap() != null
              || volume.getCsi() != null
              || volume.getDownwardAPI() != null
              || volume.getEmptyDir() != null
              || volume.getEphemeral() != null
              || volume.getPersistentVolumeClaim() != null
              || volume.getProjected() != null
              || volume.getSecret() != null;
      if (!allowedType) {
        found.add("spec.volumes[" + volume.getName() + "] has a type restricted does not allow");
      }
    }
    if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
      found.add("spec.securityContext.runAsUser must not be 0");
    }
    List<Container> containers =
        Stream.of(pod.getContainers(), pod.getInitContainers())
            .filter(l -> l != null)
            .flatMap(List::stream)
            .toList();
    for (Container container : containers) {
      String at = "container " + container.getName() + ": securityContext.";
      SecurityContext context =
          Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        found.add(at + "privileged must not be true");
      }
      if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        found.add(at + "allowPrivilegeEscalation must be false");
      }
      Capabilities capabilities =
          Optional.ofNullable(context.getCapabilities()).orElseGet(Capabilities::new);
      if (capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
        found.add(at + "capabilities.drop must contain ALL");
      }
      Optional.ofNullable(capabilities.getAdd()).orElse(List.of()).stream()
          .filter(c -> !ALLOWED_CAPABILITY_ADDS.contains(c))
          .forEach(c -> found.add(at + "capabilities.add must not contain " + c));
      boolean nonRoot =
          Optional.ofNullable(context.getRunAsNonRoot())
              .orElse(Boolean.TRUE.equals(podContext.getRunAsNonRoot()));
      if (!nonRoot) {
        found.add(at + "runAsNonRoot must be true (here or in the pod's securityContext)");
      }
      if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
        found.add(at + "runAsUser must not be 0");
      }
      SeccompProfile seccomp =
          Optional.ofNullable(context.getSeccompProfile()).orElse(podContext.getSeccompProfile());
      if (seccomp == null || !ALLOWED_SECCOMP.contains(seccomp.getType())) {
        found.add(at + "seccompProfile.type must be RuntimeDefault or Localhost");
      }
      if (context.getProcMount() != null && !context.getProcMount().equals("Default")) {
        found.add(at + "procMount must be Default");
      }
      for (ContainerPort port : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
        if (port.getHostPort() != null && port.getHostPort() != 0) {
          found.add("container " + container.getName() + ": ports must not set hostPort");
        }
      }
    }
    return found;
  }
}
