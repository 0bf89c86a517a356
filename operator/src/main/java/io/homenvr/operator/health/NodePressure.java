package io.homenvr.operator.health;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The pressure conditions of the nodes pipelines run on, shared by every CameraMonitor's checks:
 * each node is read (one GET) at most every {@link #MAX_AGE}, however many pipelines it runs and
 * however often they are checked. The kubelet itself updates these conditions only every 10 s or so
 * and a pressure lasts minutes, so a reading this old still tells. A refused or failed read is
 * remembered as "no pressure known" just as long (with nodePressure.enabled=false the chart grants
 * no access to nodes).
 */
final class NodePressure {
  static final Duration MAX_AGE = Duration.ofSeconds(30);

  static final Set<String> CONDITIONS = Set.of("MemoryPressure", "DiskPressure", "PIDPressure");

  private record Reading(Instant at, Set<String> pressure) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();

  NodePressure(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The node's pressure conditions that are True; empty when unknown. */
  Set<String> of(String nodeName) {
    if (nodeName == null) {
      return Set.of();
    }
    Instant now = clock.instant();
    // compute: checks of pipelines on the same node wait for one read instead of each making one
    return readings
        .compute(
            nodeName,
            (name, reading) ->
                reading != null && now.isBefore(reading.at().plus(MAX_AGE))
                    ? reading
                    : new Reading(now, read(name)))
        .pressure();
  }

  private Set<String> read(String nodeName) {
    try {
      Node node = client.nodes().withName(nodeName).get();
      if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
        return Set.of();
      }
      return node.getStatus().getConditions().stream()
          .filter(c -> CONDITIONS.contains(c.getType()) && "True".equals(c.getStatus()))
          .map(NodeCondition::getType)
          .collect(Collectors.toUnmodifiableSet());
    } catch (KubernetesClientException forbiddenOrGone) {
      return Set.of();
    }
  }
}
