package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The pipeline's status and metrics port (/status, /metrics, /healthz) inside the cluster. */
@KubernetesDependent(informer = @Informer(labelSelector = CameraMonitorResources.MANAGED_SELECTOR))
public class PipelineServiceDependentResource extends PipelineDependentResource<Service> {

  public PipelineServiceDependentResource() {
    super(Service.class);
  }

  @Override
  String name(CameraMonitor monitor) {
    return CameraMonitorResources.serviceName(monitor);
  }

  @Override
  protected Service desired(CameraMonitor monitor, Context<CameraMonitor> context) {
    return new ServiceBuilder()
        .withMetadata(metadata(monitor))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(CameraMonitorResources.selectorLabels(monitor))
        .addNewPort()
        .withName(CameraMonitorResources.HTTP_PORT_NAME)
        .withProtocol("TCP")
        .withPort(CameraMonitorResources.HTTP_PORT)
        .withTargetPort(new IntOrString(CameraMonitorResources.HTTP_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
