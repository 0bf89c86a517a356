package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.aifix.ConfigOverrides;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The ConfigMap with the pipeline's {@code pipeline.yaml}, mounted at /etc/homenvr: rendered from
 * the spec with an AI fix's configuration override from status applied ({@link ConfigOverrides}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = CameraMonitorResources.MANAGED_SELECTOR))
public class PipelineConfigMapDependentResource extends PipelineDependentResource<ConfigMap> {

  public PipelineConfigMapDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  String name(CameraMonitor monitor) {
    return CameraMonitorResources.configMapName(monitor);
  }

  @Override
  protected ConfigMap desired(CameraMonitor monitor, Context<CameraMonitor> context) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(monitor))
        .withData(
            Map.of(
                CameraMonitorResources.CONFIG_KEY,
                PipelineConfigRenderer.render(ConfigOverrides.effectiveSpec(monitor))))
        .build();
  }
}
