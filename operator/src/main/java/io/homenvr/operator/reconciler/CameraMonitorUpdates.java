package io.homenvr.operator.reconciler;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which changes of a CameraMonitor start a reconcile: JOSDK's generation-aware filter (a spec
 * change, or deletion), plus two that leave the generation alone: status.overrides changing (the
 * Deployment is rendered from it) and the revert-override annotation appearing. Every other status
 * write, the operator's own included, waits for the next health check.
 */
public class CameraMonitorUpdates implements OnUpdateFilter<CameraMonitor> {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Override
  public boolean accept(CameraMonitor updated, CameraMonitor old) {
    Long before = old.getMetadata().getGeneration();
    Long after = updated.getMetadata().getGeneration();
    return before == null
        || after == null
        || before < after
        || (old.getMetadata().getDeletionTimestamp() == null
            && updated.getMetadata().getDeletionTimestamp() != null)
        || !Objects.equals(revertRequest(old), revertRequest(updated))
        || !Objects.equals(overrides(old), overrides(updated));
  }

  private static String revertRequest(CameraMonitor monitor) {
    Map<String, String> annotations = monitor.getMetadata().getAnnotations();
    return annotations == null
        ? null
        : annotations.get(CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION);
  }

  private static String overrides(CameraMonitor monitor) {
    CameraMonitorStatus status = monitor.getStatus();
    return status == null || status.getOverrides() == null
        ? null
        : JSON.asJson(status.getOverrides());
  }
}
