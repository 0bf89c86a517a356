package io.homenvr.operator.escalation;

/**
 * Something the ladder wants done in the cluster, after its new state is written to status. Each is
 * safe to repeat given that state (names are fixed, deletes of what is gone are no-ops).
 */
public sealed interface Action {
  /** Keep log tail, heartbeat JSON and thread dump of the incident in the evidence ConfigMap. */
  record CaptureEvidence(String incident) implements Action {}

  /**
   * Delete the pipeline pod so its Deployment starts a fresh process.
   *
   * @param incident the incident it is for, or null when asked for by annotation
   * @param attempt the restart's number within the incident (0 when asked for by annotation)
   */
  record RestartPipeline(String incident, int attempt) implements Action {
    public static RestartPipeline requested() {
      return new RestartPipeline(null, 0);
    }
  }

  /**
   * Delete this pod, which a restart already written to status should have replaced: the operator
   * stopped before deleting it. Not another restart (not counted, no Event).
   */
  record DeleteReplacedPod(String pod) implements Action {}

  /** Create the prompt ConfigMap and the AI-fix Job, unless they exist (names are fixed). */
  record CreateAiFixJob(String incident, String jobName) implements Action {}

  /** Remove an annotation the ladder has handled from the CameraMonitor. */
  record RemoveAnnotation(String annotation) implements Action {}
}
