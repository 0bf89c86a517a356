package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sandbox's "container runtime": which local command runs a container's image. */
public interface ContainerImages {
  /** A command line and the environment it needs beyond the container's own. */
  record LocalCommand(List<String> command, Map<String, String> env) {}

  /**
   * The local command for a container, with its paths already rewritten to the pod's directory.
   *
   * @return empty when the sandbox cannot run this image
   */
  Optional<LocalCommand> resolve(Container container, PodDirectory directory);
}
