package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.OffloadSpec;
import io.homenvr.api.v1alpha1.spec.PipelineSpec;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.operator.aifix.ConfigOverrides;
import io.homenvr.operator.defaults.PipelineResources;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipeline workload: one pod (two would read every camera twice), replaced rather than rolled
 * ({@code Recreate}), locked down to Pod Security "restricted", and re-rolled whenever its rendered
 * configuration changes. Its image is {@link PipelineImage#effective}: an override in status (an AI
 * fix) wins over the spec's until reverted; so does an AI fix's configuration change (memory
 * request/limit, and the rendered configuration's checksum), through {@link ConfigOverrides}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = CameraMonitorResources.MANAGED_SELECTOR))
public class PipelineDeploymentDependentResource extends PipelineDependentResource<Deployment> {
  public static final long RUN_AS_USER = 10001L;

  /** The emptyDir for /tmp also holds JavaCV's unpacked native libraries. */
  public static final String TMP_SIZE = "1Gi";

  /**
   * The heap from the memory limit; C1 only: the pipeline's hot paths are native (FFmpeg, OpenCV),
   * and C2 compiled Java glue for minutes after each start (≈ 0.8 s of CPU in the first 45 s) and
   * kept more code and compiler memory. Measured on a 1080p camera (bench/README.md): about 20 MiB
   * less RSS and a few per cent less CPU in the first minute.
   */
  static final String JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1";

  /** Old ReplicaSets kept: enough to compare the last few configs, not a pile of them. */
  static final int REVISION_HISTORY_LIMIT = 3;

  private static final String CONFIG_VOLUME = "config";
  private static final String DATA_VOLUME = "data";
  private static final String OFFLOAD_VOLUME = "offload";
  private static final String TMP_VOLUME = "tmp";
  private static final int SECRET_FILE_MODE = 0440;

  public PipelineDeploymentDependentResource() {
    super(Deployment.class);
  }

  @Override
  String name(CameraMonitor monitor) {
    return CameraMonitorResources.pipelineName(monitor);
  }

  @Override
  protected Deployment desired(CameraMonitor monitor, Context<CameraMonitor> context) {
    // what the pipeline runs: the spec with an AI fix's configuration override (memory, say)
    CameraMonitorSpec spec = ConfigOverrides.effectiveSpec(monitor);
    PipelineSpec pipeline = spec.getPipeline();
    Map<String, List<String>> secretKeys = PipelineConfigRenderer.secretKeys(spec);
    return new DeploymentBuilder()
        .withMetadata(metadata(monitor))
        .withNewSpec()
        .withReplicas(1)
        .withRevisionHistoryLimit(REVISION_HISTORY_LIMIT)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(CameraMonitorResources.selectorLabels(monitor))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(CameraMonitorResources.labels(monitor))
        .addToAnnotations(
            CameraMonitorResources.CONFIG_CHECKSUM_ANNOTATION,
            PipelineConfigRenderer.checksum(spec))
        .endMetadata()
        .withNewSpec()
        // the pipeline never talks to the API server: no token to steal
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withNodeSelector(
            pipeline.getNodeSelector() == null || pipeline.getNodeSelector().isEmpty()
                ? null
                : pipeline.getNodeSelector())
        .withTolerations(pipeline.getTolerations())
        .withContainers(container(monitor, pipeline, secretKeys, context))
        .withVolumes(volumes(monitor, secretKeys))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(
      CameraMonitor monitor,
      PipelineSpec pipeline,
      Map<String, List<String>> secretKeys,
      Context<CameraMonitor> context) {
    String image = PipelineImage.effective(monitor, PipelineDefaults.of(context).pipelineImage());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount(CONFIG_VOLUME, CameraMonitorResources.CONFIG_DIR, true));
    mounts.add(mount(DATA_VOLUME, CameraMonitorResources.DATA_DIR, false));
    if (offload(monitor) != null) {
      mounts.add(mount(OFFLOAD_VOLUME, CameraMonitorResources.OFFLOAD_DIR, false));
    }
    mounts.add(mount(TMP_VOLUME, "/tmp", false));
    secretKeys
        .keySet()
        .forEach(
            secret ->
                mounts.add(
                    mount(
                        CameraMonitorResources.secretVolumeName(secret),
                        CameraMonitorResources.secretMountPath(secret),
                        true)));
    return new ContainerBuilder()
        .withName(CameraMonitorResources.PIPELINE_CONTAINER)
        .withImage(image)
        .withImagePullPolicy(pipeline.getImagePullPolicy())
        .withArgs(
            "--config", CameraMonitorResources.CONFIG_DIR + "/" + CameraMonitorResources.CONFIG_KEY)
        .addNewEnv()
        .withName("JAVA_TOOL_OPTIONS")
        .withValue(JAVA_TOOL_OPTIONS)
        .endEnv()
        .addNewPort()
        .withName(CameraMonitorResources.HTTP_PORT_NAME)
        .withContainerPort(CameraMonitorResources.HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(PipelineResources.effective(pipeline.getResources()))
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        // kubelet only restarts a pipeline whose HTTP server is gone for minutes; whether it
        // works is judged by the operator, which knows frames, logs and CPU
        .withLivenessProbe(healthz(30, 10, 60))
        .withReadinessProbe(healthz(10, 3, 5))
        .withVolumeMounts(mounts)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  private static Probe healthz(int periodSeconds, int failureThreshold, int initialDelaySeconds) {
    return new ProbeBuilder()
        .withHttpGet(
            new HTTPGetActionBuilder()
                .withPath("/healthz")
                .withPort(new IntOrString(CameraMonitorResources.HTTP_PORT_NAME))
                .build())
        .withInitialDelaySeconds(initialDelaySeconds)
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(5)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static OffloadSpec offload(CameraMonitor monitor) {
    StorageSpec storage = monitor.getSpec().getPipeline().getStorage();
    return storage == null ? null : storage.getOffload();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? true : null)
        .build();
  }

  private static List<Volume> volumes(CameraMonitor monitor, Map<String, List<String>> secretKeys) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(CONFIG_VOLUME)
            .withNewConfigMap()
            .withName(CameraMonitorResources.configMapName(monitor))
            .endConfigMap()
            .build());
    OffloadSpec offload = offload(monitor);
    if (offload != null) {
      // the user's own claim (a NAS share): referenced, never created or deleted by the operator
      volumes.add(
          new VolumeBuilder()
              .withName(OFFLOAD_VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(offload.getClaimName())
              .endPersistentVolumeClaim()
              .build());
    }
    if (monitor.getSpec().getPipeline().getStorage() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(DATA_VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(CameraMonitorResources.pvcName(monitor))
              .endPersistentVolumeClaim()
              .build());
    } else {
      volumes.add(emptyDir(DATA_VOLUME, PipelineConfigRenderer.EPHEMERAL_DATA_SIZE));
    }
    volumes.add(emptyDir(TMP_VOLUME, TMP_SIZE));
    secretKeys.forEach(
        (secret, keys) ->
            volumes.add(
                new VolumeBuilder()
                    .withName(CameraMonitorResources.secretVolumeName(secret))
                    .withNewSecret()
                    .withSecretName(secret)
                    .withDefaultMode(SECRET_FILE_MODE)
                    // only the keys the pipeline reads, not whatever else the Secret holds
                    .withItems(keys.stream().map(key -> new KeyToPath(key, null, key)).toList())
                    .endSecret()
                    .build()));
    return volumes;
  }

  private static Volume emptyDir(String name, String sizeLimit) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity(sizeLimit))
        .endEmptyDir()
        .build();
  }
}
