package io.homenvr.api.v1alpha1.status;

/** Whether restarting the pipeline can help with a problem. */
public enum CauseClass {
  /** The pipeline itself misbehaves: a restart may help. */
  PIPELINE,
  /** A camera, the network, the vision server, the node or the disk: a restart will not help. */
  EXTERNAL
}
