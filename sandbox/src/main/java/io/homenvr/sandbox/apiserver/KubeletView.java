package io.homenvr.sandbox.apiserver;

import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import java.util.List;
import java.util.Optional;

/** What the API server asks the local kubelet for: what a real kubelet serves through it. */
public interface KubeletView {
  /**
   * A pod's log, as {@code GET …/pods/<name>/log} returns it.
   *
   * @param tailLines the last this many lines, or null for all
   * @param timestamps prefix each line with its RFC 3339 time
   * @return empty when the kubelet runs no such pod
   */
  Optional<String> logs(String namespace, String pod, Integer tailLines, boolean timestamps);

  /** The pod's CPU and memory use, as metrics-server reports it; empty if not running. */
  Optional<PodMetrics> metrics(String namespace, String pod);

  /** Metrics of every running pod in a namespace. */
  List<PodMetrics> metrics(String namespace);

  /** A kubelet that runs nothing: the API server alone. */
  KubeletView NONE =
      new KubeletView() {
        @Override
        public Optional<String> logs(
            String namespace, String pod, Integer tailLines, boolean timestamps) {
          return Optional.empty();
        }

        @Override
        public Optional<PodMetrics> metrics(String namespace, String pod) {
          return Optional.empty();
        }

        @Override
        public List<PodMetrics> metrics(String namespace) {
          return List.of();
        }
      };
}
