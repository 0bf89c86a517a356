package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * An object homenvr owns for a CameraMonitor: created and kept equal to {@code desired()}, garbage
 * collected through its owner reference, and reported in the reconciliation's {@link
 * WorkloadChanges}.
 */
abstract class PipelineDependentResource<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, CameraMonitor> {

  PipelineDependentResource(Class<R> type) {
    super(type);
  }

  /** The object's name; known without rendering it, so finding the actual object is cheap. */
  abstract String name(CameraMonitor monitor);

  @Override
  protected ResourceID targetSecondaryResourceID(
      CameraMonitor monitor, Context<CameraMonitor> context) {
    return new ResourceID(name(monitor), monitor.getMetadata().getNamespace());
  }

  ObjectMeta metadata(CameraMonitor monitor) {
    return new ObjectMetaBuilder()
        .withName(name(monitor))
        .withNamespace(monitor.getMetadata().getNamespace())
        .withLabels(CameraMonitorResources.labels(monitor))
        .build();
  }

  /** Marks the CameraMonitor as the controller, so kubectl describe shows "Controlled By". */
  @Override
  protected void addReferenceHandlingMetadata(R desired, CameraMonitor monitor) {
    super.addReferenceHandlingMetadata(desired, monitor);
    desired.getMetadata().getOwnerReferences().stream()
        .filter(ref -> monitor.getMetadata().getUid().equals(ref.getUid()))
        .forEach(ref -> ref.setController(true));
  }

  @Override
  protected void onCreated(CameraMonitor monitor, R created, Context<CameraMonitor> context) {
    super.onCreated(monitor, created, context);
    WorkloadChanges.of(context).created(created);
  }

  @Override
  protected void onUpdated(
      CameraMonitor monitor, R updated, R actual, Context<CameraMonitor> context) {
    super.onUpdated(monitor, updated, actual, context);
    WorkloadChanges.of(context).updated(updated);
  }
}
