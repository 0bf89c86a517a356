package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.sandbox.apiserver.KubeletView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The sandbox's node: what kube-controller-manager and a kubelet do for homenvr's objects.
 * Deployments become pods ({@code <deployment>-<template hash>-<suffix>}, replaced on a template
 * change, recreated when deleted), Jobs run one pod each, pods become local processes on their own
 * loopback address (127.0.0.N), owned objects are garbage collected with their owner, and pod
 * status, logs and metrics are kept true. It polls the API server a few times a second.
 */
public final class LocalKubelet implements KubeletView, AutoCloseable {
  private static final Duration TICK = Duration.ofMillis(250);

  /** Shorter than Kubernetes' 30 s: a SIGSTOPped pipeline never handles SIGTERM anyway. */
  private static final Duration GRACE = Duration.ofSeconds(3);

  private static final String TEMPLATE_HASH_LABEL = "pod-template-hash";
  private static final String JOB_NAME_LABEL = "job-name";

  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final Path podsRoot;
  private final Map<String, String> kubeletEnv;
  private final Consumer<String> events;
  private final Map<String, LocalPod> pods = new ConcurrentHashMap<>();
  private final List<Map.Entry<String, Instant>> started =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, PodStatus> writtenStatus = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "sandbox-kubelet");
            thread.setDaemon(true);
            return thread;
          });
  private final SecureRandom random = new SecureRandom();
  private final ServiceDns dns;
  private int nextAddress = 2;
  private Instant nextCollection = Instant.MIN;

  /**
   * @param client the sandbox API server
   * @param images how containers become commands
   * @param runRoot where pod directories and claims live
   * @param kubeletEnv environment every container gets (e.g. PATH, JAVA_HOME)
   * @param events one line per thing the node did, for the console
   */
  public LocalKubelet(
      KubernetesClient client,
      ContainerImages images,
      Path runRoot,
      Map<String, String> kubeletEnv,
      Consumer<String> events) {
    this.client = client;
    this.runtime = new ContainerRuntime(client, images, runRoot.resolve("claims"));
    this.podsRoot = runRoot.resolve("pods");
    this.kubeletEnv = Map.copyOf(kubeletEnv);
    this.events = events;
    this.dns = new ServiceDns(hostsFile(runRoot));
  }

  /** The hosts file where Services resolve to pods (see {@link ServiceDns}). */
  public static Path hostsFile(Path runRoot) {
    return runRoot.resolve("hosts");
  }

  public void start() {
    loop.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (KubernetesClientException e) {
      events.accept("kubelet: API error, retrying: " + e.getMessage());
    } catch (RuntimeException e) {
      events.accept("kubelet: " + e);
    }
  }

  /** One pass of every controller. */
  void tick() {
    for (Deployment deployment : client.apps().deployments().inAnyNamespace().list().getItems()) {
      syncDeployment(deployment);
    }
    for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
      syncJob(job);
    }
    List<Pod> apiPods = client.pods().inAnyNamespace().list().getItems();
    Set<String> live = new HashSet<>();
    for (Pod pod : apiPods) {
      live.add(pod.getMetadata().getUid());
      syncPod(pod);
    }
    Map<String, String> addresses = new java.util.HashMap<>();
    pods.values().forEach(local -> addresses.put(local.uid(), local.ip()));
    try {
      dns.update(client.services().inAnyNamespace().list().getItems(), apiPods, addresses);
    } catch (IOException e) {
      events.accept("kubelet: cannot write the hosts file: " + e.getMessage());
    }
    for (LocalPod local : List.copyOf(pods.values())) {
      if (!live.contains(local.uid())) {
        events.accept("kubelet: pod " + local.name() + " deleted: stopping its process");
        local.kill(GRACE);
        pods.remove(local.uid());
        writtenStatus.remove(local.uid());
      }
    }
    if (Instant.now().isAfter(nextCollection)) {
      collectGarbage();
      nextCollection = Instant.now().plusSeconds(2);
    }
  }

  // ---- Deployment controller (Recreate and RollingUpdate alike: old pods go first) ----

  private void syncDeployment(Deployment deployment) {
    String namespace = deployment.getMetadata().getNamespace();
    String hash = templateHash(deployment);
    List<Pod> owned = ownedPods(namespace, deployment.getMetadata().getUid());
    List<Pod> current =
        owned.stream()
            .filter(pod -> hash.equals(pod.getMetadata().getLabels().get(TEMPLATE_HASH_LABEL)))
            .toList();
    List<Pod> old = owned.stream().filter(pod -> !current.contains(pod)).toList();
    int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    if (!old.isEmpty()) {
      old.forEach(
          pod -> {
            events.accept(
                "deployment "
                    + deployment.getMetadata().getName()
                    + ": deleting old pod "
                    + pod.getMetadata().getName());
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
          });
    } else if (current.size() < replicas) {
      Pod pod = newPod(deployment, hash);
      client.pods().inNamespace(namespace).resource(pod).create();
      events.accept(
          "deployment "
              + deployment.getMetadata().getName()
              + ": created pod "
              + pod.getMetadata().getName());
    } else if (current.size() > replicas) {
      client
          .pods()
          .inNamespace(namespace)
          .withName(current.get(current.size() - 1).getMetadata().getName())
          .delete();
    }
    int ready = (int) current.stream().filter(LocalKubelet::ready).count();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(owned.size())
            .withUpdatedReplicas(current.size())
            .withReadyReplicas(ready == 0 ? null : ready)
            .withAvailableReplicas(ready == 0 ? null : ready)
            .withUnavailableReplicas(replicas - ready > 0 ? replicas - ready : null)
            .addNewCondition()
            .withType("Available")
            .withStatus(ready >= replicas ? "True" : "False")
            .withReason(
                ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
            .endCondition()
            .build();
    if (!status.equals(deployment.getStatus())) {
      deployment.setStatus(status);
      client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }
  }

  private Pod newPod(Deployment deployment, String hash) {
    String name = deployment.getMetadata().getName() + "-" + hash + "-" + suffix();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(deployment.getMetadata().getNamespace())
        .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .addToLabels(TEMPLATE_HASH_LABEL, hash)
        .withAnnotations(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .withOwnerReferences(controllerOf(deployment))
        .endMetadata()
        .withSpec(deployment.getSpec().getTemplate().getSpec())
        .editSpec()
        .withNodeName("sandbox")
        .endSpec()
        .build();
  }

  private static String templateHash(Deployment deployment) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  io.fabric8.kubernetes.client.utils.Serialization.asJson(
                          deployment.getSpec().getTemplate())
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- Job controller (backoffLimit 0 semantics: one pod, its outcome is the Job's) ----

  private void syncJob(Job job) {
    String namespace = job.getMetadata().getNamespace();
    JobStatus previous = job.getStatus() == null ? new JobStatus() : job.getStatus();
    if (finished(previous)) {
      return;
    }
    List<Pod> owned = ownedPods(namespace, job.getMetadata().getUid());
    Instant startTime =
        previous.getStartTime() == null ? Instant.now() : Instant.parse(previous.getStartTime());
    if (owned.isEmpty()) {
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(job.getMetadata().getName() + "-" + suffix())
              .withNamespace(namespace)
              .withLabels(
                  job.getSpec().getTemplate().getMetadata() == null
                      ? null
                      : job.getSpec().getTemplate().getMetadata().getLabels())
              .addToLabels(JOB_NAME_LABEL, job.getMetadata().getName())
              .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
              .withOwnerReferences(controllerOf(job))
              .endMetadata()
              .withSpec(job.getSpec().getTemplate().getSpec())
              .editSpec()
              .withNodeName("sandbox")
              .endSpec()
              .build();
      client.pods().inNamespace(namespace).resource(pod).create();
      events.accept(
          "job " + job.getMetadata().getName() + ": created pod " + pod.getMetadata().getName());
    }
    String phase =
        owned.isEmpty() || owned.get(0).getStatus() == null
            ? "Pending"
            : owned.get(0).getStatus().getPhase();
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    boolean pastDeadline =
        deadline != null && Instant.now().isAfter(startTime.plusSeconds(deadline));
    JobStatusBuilder status =
        new JobStatusBuilder().withStartTime(startTime.toString()).withActive(1);
    if ("Succeeded".equals(phase)) {
      status.withActive(null).withSucceeded(1).withCompletionTime(Instant.now().toString());
      status.withConditions(
          jobCondition("SuccessCriteriaMet", "CompletionsReached"),
          jobCondition("Complete", "CompletionsReached"));
    } else if ("Failed".equals(phase) || pastDeadline) {
      String reason =
          pastDeadline && !"Failed".equals(phase) ? "DeadlineExceeded" : "BackoffLimitExceeded";
      if (pastDeadline) {
        owned.forEach(pod -> client.pods().inNamespace(namespace).resource(pod).delete());
      }
      status.withActive(null).withFailed(1);
      status.withConditions(jobCondition("FailureTarget", reason), jobCondition("Failed", reason));
    }
    JobStatus next = status.build();
    if (!next.equals(previous)) {
      job.setStatus(next);
      client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
      if (finished(next)) {
        events.accept(
            "job " + job.getMetadata().getName() + ": " + next.getConditions().get(1).getType());
      }
    }
  }

  private static boolean finished(JobStatus status) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  private static JobCondition jobCondition(String type, String reason) {
    String now = Instant.now().toString();
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  // ---- the kubelet proper ----

  private void syncPod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    LocalPod local = pods.get(uid);
    if (local == null) {
      if (pod.getStatus() != null
          && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase())) {
        return;
      }
      try {
        local =
            new LocalPod(
                pod,
                nextAddress(containerPorts(pod)),
                podsRoot.resolve(
                    pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName()),
                http,
                kubeletEnv);
      } catch (IOException e) {
        events.accept(
            "kubelet: cannot create the directory of pod "
                + pod.getMetadata().getName()
                + ": "
                + e.getMessage());
        return;
      }
      pods.put(uid, local);
      started.add(Map.entry(pod.getMetadata().getNamespace(), Instant.now()));
      events.accept("kubelet: pod " + pod.getMetadata().getName() + " scheduled on " + local.ip());
    }
    local.sync(pod, runtime);
    PodStatus status = local.status();
    if (!status.equals(writtenStatus.get(uid))) {
      Pod update = new PodBuilder(pod).withStatus(status).build();
      try {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).updateStatus();
        writtenStatus.put(uid, status);
      } catch (KubernetesClientException e) {
        // deleted or changed meanwhile: the next tick sees the new state
      }
    }
  }

  /**
   * A loopback address no pod of ours uses and whose ports are free: another sandbox (a second
   * {@code bin/sandbox}, or the e2e tests beside it) may hold the same 127.0.0.N.
   */
  private synchronized String nextAddress(List<Integer> ports) {
    Set<String> used = new HashSet<>();
    pods.values().forEach(pod -> used.add(pod.ip()));
    for (int i = 0; i < 253; i++) {
      String candidate = "127.0.0." + nextAddress;
      nextAddress = nextAddress >= 254 ? 2 : nextAddress + 1;
      if (!used.contains(candidate) && portsFree(candidate, ports)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free loopback address for a pod");
  }

  private static List<Integer> containerPorts(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .map(ContainerPort::getContainerPort)
        .filter(Objects::nonNull)
        .toList();
  }

  private static boolean portsFree(String address, List<Integer> ports) {
    for (int port : ports) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(address, port));
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  // ---- garbage collector: owned objects go with their owner ----

  private void collectGarbage() {
    Set<String> owners = new HashSet<>();
    client
        .resources(CameraMonitor.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(o -> owners.add(o.getMetadata().getUid()));
    List<HasMetadata> candidates = new ArrayList<>();
    candidates.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
    candidates.addAll(client.batch().v1().jobs().inAnyNamespace().list().getItems());
    candidates.forEach(o -> owners.add(o.getMetadata().getUid()));
    candidates.addAll(client.pods().inAnyNamespace().list().getItems());
    candidates.addAll(client.configMaps().inAnyNamespace().list().getItems());
    candidates.addAll(client.services().inAnyNamespace().list().getItems());
    candidates.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
    for (HasMetadata object : candidates) {
      List<OwnerReference> references = object.getMetadata().getOwnerReferences();
      if (references != null
          && !references.isEmpty()
          && references.stream().noneMatch(ref -> owners.contains(ref.getUid()))) {
        events.accept(
            "garbage collector: deleting "
                + object.getKind()
                + " "
                + object.getMetadata().getName()
                + " (owner gone)");
        client.resource(object).delete();
      }
    }
  }

  // ---- what the API server and the console ask ----

  @Override
  public Optional<String> logs(
      String namespace, String pod, Integer tailLines, boolean timestamps) {
    return find(namespace, pod).map(local -> local.log().render(tailLines, timestamps));
  }

  @Override
  public Optional<PodMetrics> metrics(String namespace, String pod) {
    return find(namespace, pod).flatMap(this::metricsOf);
  }

  @Override
  public List<PodMetrics> metrics(String namespace) {
    return pods.values().stream()
        .filter(pod -> pod.namespace().equals(namespace))
        .map(this::metricsOf)
        .flatMap(Optional::stream)
        .toList();
  }

  private Optional<PodMetrics> metricsOf(LocalPod pod) {
    return pod.process()
        .map(
            process ->
                new PodMetricsBuilder()
                    .withNewMetadata()
                    .withName(pod.name())
                    .withNamespace(pod.namespace())
                    .endMetadata()
                    .withTimestamp(Instant.now().toString())
                    .withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(5)))
                    .addNewContainer()
                    .withName("pipeline")
                    .withUsage(
                        Map.of(
                            "cpu", new Quantity(process.cpuNanocores() + "n"),
                            "memory", new Quantity(process.memoryBytes() / 1024 + "Ki")))
                    .endContainer()
                    .build());
  }

  /** How many pods of a namespace this node started since a time (replacements included). */
  public long podsStartedSince(String namespace, Instant since) {
    return started.stream()
        .filter(entry -> entry.getKey().equals(namespace) && !entry.getValue().isBefore(since))
        .count();
  }

  /** The running process of a pod, for faults. */
  public Optional<ContainerProcess> process(String namespace, String pod) {
    return find(namespace, pod).flatMap(LocalPod::process);
  }

  /** The local directory behind a pod's mountPath (e.g. the data volume), for faults. */
  public Optional<Path> podRoot(String namespace, String pod) {
    return find(namespace, pod).map(local -> podsRoot.resolve(namespace + "_" + pod));
  }

  private Optional<LocalPod> find(String namespace, String pod) {
    return pods.values().stream()
        .filter(local -> local.namespace().equals(namespace) && local.name().equals(pod))
        .findFirst();
  }

  private List<Pod> ownedPods(String namespace, String ownerUid) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(
            pod ->
                pod.getMetadata().getOwnerReferences() != null
                    && pod.getMetadata().getOwnerReferences().stream()
                        .anyMatch(ref -> ownerUid.equals(ref.getUid())))
        .toList();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static OwnerReference controllerOf(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return suffix.toString();
  }

  /** Stops the loop and every process. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pods.values().parallelStream().forEach(pod -> pod.kill(GRACE));
    pods.clear();
  }
}
