package io.homenvr.helm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The chart's values worth rendering: the defaults and each option turned the other way. */
final class Scenarios {
  private Scenarios() {}

  static final Map<String, Map<String, Object>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("defaults", Map.of());
    ALL.put(
        "watchNamespaces set", Map.of("watchNamespaces[0]", "nvr", "watchNamespaces[1]", "garage"));
    ALL.put("leaderElection off", Map.of("leaderElection.enabled", false));
    ALL.put(
        "serviceMonitor on",
        Map.of(
            "serviceMonitor.enabled",
            true,
            "serviceMonitor.labels.release",
            "kube-prometheus-stack"));
    ALL.put("grafanaDashboard on", Map.of("grafanaDashboard.enabled", true));
    ALL.put(
        "rbac and serviceAccount off",
        Map.of(
            "rbac.create",
            false,
            "serviceAccount.create",
            false,
            "serviceAccount.name",
            "nvr-operator"));
    ALL.put("nodePressure off", Map.of("nodePressure.enabled", false));
    ALL.put("metrics service off", Map.of("metrics.service.enabled", false));
    ALL.put(
        "everything on, two replicas",
        Map.of(
            "replicaCount", 2,
            "watchNamespaces[0]", "nvr",
            "serviceMonitor.enabled", true,
            "grafanaDashboard.enabled", true,
            "grafanaDashboard.namespace", "monitoring",
            "nodeSelector.kubernetes\\.io/arch", "arm64",
            "tolerations[0].key", "dedicated",
            "tolerations[0].operator", "Exists"));
  }

  static Stream<Arguments> all() {
    return ALL.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }
}
