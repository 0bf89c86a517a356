package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.health.Assessment;
import java.util.Map;

/**
 * What one ladder step looks at.
 *
 * @param monitor the CameraMonitor (spec, annotations, generation); its status is {@code status}
 * @param status the current status, never modified by the ladder
 * @param job the incident's AI-fix Job, when the ladder waits for one
 */
public record LadderInput(
    CameraMonitor monitor, CameraMonitorStatus status, Assessment assessment, AiFixJobState job) {

  public Map<String, String> annotations() {
    Map<String, String> annotations = monitor.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
