package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The claim for alert snapshots at /data; exists only while {@code pipeline.storage} is set. */
@KubernetesDependent(informer = @Informer(labelSelector = CameraMonitorResources.MANAGED_SELECTOR))
public class PipelineDataPvcDependentResource
    extends PipelineDependentResource<PersistentVolumeClaim> {

  public PipelineDataPvcDependentResource() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  String name(CameraMonitor monitor) {
    return CameraMonitorResources.pvcName(monitor);
  }

  @Override
  protected PersistentVolumeClaim desired(CameraMonitor monitor, Context<CameraMonitor> context) {
    StorageSpec storage = monitor.getSpec().getPipeline().getStorage();
    return new PersistentVolumeClaimBuilder()
        .withMetadata(metadata(monitor))
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storage.getStorageClassName())
        .withNewResources()
        .addToRequests("storage", new Quantity(storage.getSize()))
        .endResources()
        .endSpec()
        .build();
  }
}
