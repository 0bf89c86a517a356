package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Activates the data claim only when the spec asks for persistent storage. */
public class StorageRequestedCondition implements Condition<PersistentVolumeClaim, CameraMonitor> {
  @Override
  public boolean isMet(
      DependentResource<PersistentVolumeClaim, CameraMonitor> dependentResource,
      CameraMonitor monitor,
      Context<CameraMonitor> context) {
    return monitor.getSpec().getPipeline().getStorage() != null;
  }
}
