package io.homenvr.api.v1alpha1.status;

/** The one-word summary `kubectl get cammon` shows. */
public enum Phase {
  /** Created, no health check has judged the pipeline yet. */
  Pending,
  Healthy,
  /**
   * Something is wrong that a restart will not fix (camera, Ollama, node, disk), or not yet acted
   * on.
   */
  Degraded,
  /** Tier 1: restarting the pipeline. */
  Recovering,
  /** Tier 2: an AI fix Job is running or its fix is being verified. */
  Fixing,
  /** Tier 3: a human was told; stays until healthy or acknowledged. */
  NeedsAttention,
  /** The spec is wrong; nothing was created or changed. The Ready condition says which field. */
  Invalid
}
