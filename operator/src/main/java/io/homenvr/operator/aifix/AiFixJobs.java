package io.homenvr.operator.aifix;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelectorBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.KnownHostsRef;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.operator.names.CameraMonitorResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The AI-fix Job per the design's contract: prompt ConfigMap mounted read-only, no service-account
 * token, bounded deadline, no retries, restricted security context, secrets only as secretKeyRefs,
 * the agent's caps, model and tools and the git host's pinned keys from the spec; its outcome read
 * from the container's termination message. GIT_TOKEN reaches the entrypoint only, which keeps it
 * from the agent's environment.
 */
public class AiFixJobs {
  public static final String CONTAINER = "aifix";
  public static final String PROMPT_DIR = "/etc/homenvr/prompt";
  public static final String WORKSPACE = "/workspace";
  static final String GIT_KEY_DIR = "/etc/homenvr/git";
  static final String KNOWN_HOSTS_DIR = "/etc/homenvr/known-hosts";

  private static final Set<String> FAILED = Set.of("FailureTarget", "Failed");
  private static final Set<String> COMPLETE = Set.of("SuccessCriteriaMet", "Complete");

  /** Left of the Job's deadline for cloning before and pushing after the agent. */
  static final int HOUSEKEEPING_SECONDS = 60;

  /** Finished Jobs stay a week for a human to read their logs. */
  static final int TTL_SECONDS = 7 * 24 * 3600;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String defaultImage;

  public AiFixJobs(KubernetesClient client, String defaultImage) {
    this.client = client;
    this.defaultImage = defaultImage;
  }

  /** Creates the prompt ConfigMap and the Job unless they already exist (a retried action). */
  public void create(CameraMonitor monitor, String incident, String jobName, String prompt) {
    String namespace = monitor.getMetadata().getNamespace();
    String promptName = CameraMonitorResources.promptConfigMap(jobName);
    if (client.configMaps().inNamespace(namespace).withName(promptName).get() == null) {
      client
          .configMaps()
          .inNamespace(namespace)
          .resource(promptConfigMap(monitor, incident, jobName, prompt))
          .create();
    }
    if (client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get() == null) {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .resource(job(monitor, incident, jobName))
          .create();
    }
  }

  public ConfigMap promptConfigMap(
      CameraMonitor monitor, String incident, String jobName, String prompt) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(CameraMonitorResources.promptConfigMap(jobName))
        .withNamespace(monitor.getMetadata().getNamespace())
        .withLabels(labels(monitor, incident))
        .withOwnerReferences(owner(monitor))
        .endMetadata()
        .withData(Map.of("prompt.md", prompt))
        .build();
  }

  public Job job(CameraMonitor monitor, String incident, String jobName) {
    AiFixSpec aiFix = monitor.getSpec().getEscalation().getAiFix();
    RepositorySpec repository = aiFix.getRepository();
    boolean ssh = !repository.getUrl().startsWith("http");
    List<EnvVar> env = new ArrayList<>();
    env.add(env("AIFIX_REPO_URL", repository.getUrl()));
    env.add(env("AIFIX_REPO_REF", repository.getRef()));
    env.add(
        env("AIFIX_PUSH_MODE", aiFix.getPush() == AiFixSpec.PushMode.DIRECT ? "direct" : "branch"));
    env.add(env("AIFIX_BRANCH", CameraMonitorResources.fixBranch(incident)));
    env.add(env("AIFIX_INCIDENT", incident));
    if (aiFix.getImageTemplate() != null && !aiFix.getImageTemplate().isBlank()) {
      // the entrypoint names the image of the fix's commit; the operator rolls that image out
      env.add(env("AIFIX_IMAGE_TEMPLATE", aiFix.getImageTemplate()));
    }
    env.add(
        env(
            "AIFIX_TIMEOUT_SECONDS",
            String.valueOf(Math.max(30, aiFix.getTimeoutSeconds() - HOUSEKEEPING_SECONDS))));
    env.add(env("AIFIX_MODEL", aiFix.getModel()));
    env.add(env("AIFIX_MAX_TURNS", String.valueOf(aiFix.getMaxTurns())));
    env.add(env("AIFIX_MAX_BUDGET_USD", String.valueOf(aiFix.getMaxBudgetUsd())));
    env.add(env("AIFIX_TEST_COMMAND", aiFix.getTestCommand()));
    env.add(
        env(
            "AIFIX_ALLOWED_TOOLS",
            String.join(
                "\n",
                aiFix.getAllowedTools() == null
                    ? AiFixSpec.DEFAULT_ALLOWED_TOOLS
                    : aiFix.getAllowedTools())));
    env.add(env("AIFIX_PROMPT_FILE", PROMPT_DIR + "/prompt.md"));
    env.add(env("AIFIX_WORKSPACE", WORKSPACE));
    env.add(env("HOME", WORKSPACE + "/home"));
    env.add(
        secretEnv(
            "ANTHROPIC_API_KEY",
            aiFix.getApiKeySecretRef().getName(),
            aiFix.getApiKeySecretRef().getKey()));
    var volumes =
        new ArrayList<>(
            List.of(
                new VolumeBuilder()
                    .withName("prompt")
                    .withNewConfigMap()
                    .withName(CameraMonitorResources.promptConfigMap(jobName))
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("workspace")
                    .withNewEmptyDir()
                    .withSizeLimit(new Quantity("2Gi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new Quantity("256Mi"))
                    .endEmptyDir()
                    .build()));
    var mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder()
                    .withName("prompt")
                    .withMountPath(PROMPT_DIR)
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder().withName("workspace").withMountPath(WORKSPACE).build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build()));
    KnownHostsRef knownHosts = repository.getKnownHostsRef();
    if (knownHosts != null) {
      // ssh checks the git host against these keys only (StrictHostKeyChecking=yes)
      VolumeBuilder volume = new VolumeBuilder().withName("known-hosts");
      var item =
          new KeyToPathBuilder().withKey(knownHosts.getKey()).withPath("known_hosts").build();
      volumes.add(
          knownHosts.getKind() == KnownHostsRef.Kind.SECRET
              ? volume
                  .withNewSecret()
                  .withSecretName(knownHosts.getName())
                  .withItems(item)
                  .endSecret()
                  .build()
              : volume
                  .withNewConfigMap()
                  .withName(knownHosts.getName())
                  .withItems(item)
                  .endConfigMap()
                  .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("known-hosts")
              .withMountPath(KNOWN_HOSTS_DIR)
              .withReadOnly(true)
              .build());
      env.add(env("AIFIX_SSH_KNOWN_HOSTS_FILE", KNOWN_HOSTS_DIR + "/known_hosts"));
    }
    var credentials = repository.getCredentialsSecretRef();
    if (credentials != null && !ssh) {
      env.add(secretEnv("GIT_TOKEN", credentials.getName(), credentials.getKey()));
    } else if (credentials != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("git-key")
              .withNewSecret()
              .withSecretName(credentials.getName())
              .addNewItem()
              .withKey(credentials.getKey())
              .withPath("id")
              .withMode(0400)
              .endItem()
              .withDefaultMode(0400)
              .endSecret()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("git-key")
              .withMountPath(GIT_KEY_DIR)
              .withReadOnly(true)
              .build());
      env.add(env("GIT_SSH_KEY_FILE", GIT_KEY_DIR + "/id"));
    }
    return new JobBuilder()
        .withNewMetadata()
        .withName(jobName)
        .withNamespace(monitor.getMetadata().getNamespace())
        .withLabels(labels(monitor, incident))
        .withOwnerReferences(owner(monitor))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(aiFix.getTimeoutSeconds().longValue())
        .withTtlSecondsAfterFinished(TTL_SECONDS)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels(monitor, incident))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(1000L)
        .withRunAsGroup(1000L)
        .withFsGroup(1000L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(
            aiFix.getImage() == null || aiFix.getImage().isBlank()
                ? defaultImage
                : aiFix.getImage())
        .withImagePullPolicy("IfNotPresent")
        .withEnv(env)
        .withNewResources()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("cpu", new Quantity("1"))
        .addToLimits("memory", new Quantity("2Gi"))
        .addToLimits("ephemeral-storage", new Quantity("3Gi"))
        .endResources()
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("File")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(mounts)
        .endContainer()
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** Running, ended with its termination message, or absent. */
  public AiFixJobState state(CameraMonitor monitor, String jobName) {
    String namespace = monitor.getMetadata().getNamespace();
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    if (job == null) {
      return AiFixJobState.ABSENT;
    }
    var status = job.getStatus();
    List<JobCondition> conditions =
        status == null || status.getConditions() == null ? List.of() : status.getConditions();
    // since Kubernetes 1.31 the Job controller says FailureTarget (with the reason, e.g.
    // DeadlineExceeded) and SuccessCriteriaMet first, and Failed / Complete only once every pod
    // has terminated, which can take a while or, on a lost node, forever
    JobCondition failed =
        conditions.stream()
            .filter(c -> FAILED.contains(c.getType()) && "True".equals(c.getStatus()))
            .findFirst()
            .orElse(null);
    boolean complete =
        conditions.stream()
            .anyMatch(c -> COMPLETE.contains(c.getType()) && "True".equals(c.getStatus()));
    boolean counted =
        status != null && (positive(status.getSucceeded()) || positive(status.getFailed()));
    if (failed == null && !complete && !counted) {
      return AiFixJobState.RUNNING;
    }
    AiFixResult fromPod = terminationMessage(namespace, jobName);
    if (fromPod != null) {
      return new AiFixJobState.Ended(fromPod);
    }
    if (failed != null && "DeadlineExceeded".equals(failed.getReason())) {
      return new AiFixJobState.Ended(
          AiFixResult.error(
              "the Job hit its deadline (activeDeadlineSeconds) before the agent finished"));
    }
    return new AiFixJobState.Ended(
        AiFixResult.error(
            "the Job ended without a termination message"
                + (failed == null
                    ? ""
                    : " (" + failed.getReason() + ": " + failed.getMessage() + ")")));
  }

  private AiFixResult terminationMessage(String namespace, String jobName) {
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
    for (Pod pod : pods) {
      List<ContainerStatus> statuses =
          pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
      for (ContainerStatus status : statuses == null ? List.<ContainerStatus>of() : statuses) {
        var terminated = status.getState() == null ? null : status.getState().getTerminated();
        if (CONTAINER.equals(status.getName())
            && terminated != null
            && terminated.getMessage() != null) {
          return parse(terminated.getMessage());
        }
      }
    }
    return null;
  }

  static AiFixResult parse(String message) {
    try {
      AiFixResult result = JSON.readValue(message, AiFixResult.class);
      return result.outcome() == null
          ? AiFixResult.error("termination message without outcome")
          : result;
    } catch (IOException notJson) {
      return AiFixResult.error(
          "unreadable termination message: "
              + message.substring(0, Math.min(200, message.length())));
    }
  }

  private static boolean positive(Integer count) {
    return count != null && count > 0;
  }

  private static Map<String, String> labels(CameraMonitor monitor, String incident) {
    return Map.of(
        CameraMonitorResources.LABEL_CAMERA_MONITOR,
        monitor.getMetadata().getName(),
        CameraMonitorResources.COMPONENT_LABEL,
        "aifix",
        CameraMonitorResources.INCIDENT_LABEL,
        incident);
  }

  static OwnerReference owner(CameraMonitor monitor) {
    return new OwnerReferenceBuilder()
        .withApiVersion(monitor.getApiVersion())
        .withKind(monitor.getKind())
        .withName(monitor.getMetadata().getName())
        .withUid(monitor.getMetadata().getUid())
        .withController(false)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder()
        .withName(name)
        .withValue(Objects.requireNonNull(value, name))
        .build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withSecretKeyRef(new SecretKeySelectorBuilder().withName(secret).withKey(key).build())
        .endValueFrom()
        .build();
  }
}
