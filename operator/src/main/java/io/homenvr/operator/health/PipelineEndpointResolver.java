package io.homenvr.operator.health;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.names.CameraMonitorResources;
import java.net.URI;

/** Where the operator reaches a pipeline's HTTP port ({@code /status}, {@code /threads}). */
@FunctionalInterface
public interface PipelineEndpointResolver {
  URI baseUrl(CameraMonitor monitor);

  /** In a cluster: the pipeline Service's DNS name. */
  static PipelineEndpointResolver serviceDns() {
    return monitor ->
        URI.create(
            "http://%s.%s.svc:%d"
                .formatted(
                    CameraMonitorResources.serviceName(monitor),
                    monitor.getMetadata().getNamespace(),
                    CameraMonitorResources.HTTP_PORT));
  }
}
