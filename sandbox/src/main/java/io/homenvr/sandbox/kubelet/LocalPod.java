package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One pod on the local kubelet: its container as a process (the first container; homenvr's pods
 * have one), restarted per restartPolicy with CrashLoopBackOff, probed over HTTP, and described by
 * a PodStatus as a real kubelet would write it.
 */
final class LocalPod {
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
  private static final int MESSAGE_LIMIT = 4096;

  private final String namespace;
  private final String name;
  private final String uid;
  private final String ip;
  private final Container container;
  private final String restartPolicy;
  private final Instant scheduledAt = Instant.now();
  private final LogBuffer log;
  private final Path root;
  private final HttpClient http;
  private final Map<String, String> kubeletEnv;

  private PodDirectory directory;
  private ContainerProcess process;
  private ContainerStateTerminated lastTermination;
  private ContainerStateTerminated finalTermination;
  private int restartCount;
  private Instant backoffUntil = Instant.MIN;
  private String waitingReason = "ContainerCreating";
  private String waitingMessage;
  private boolean ready;
  private boolean oomKilled;
  private int livenessFailures;
  private Instant nextProbe = Instant.MIN;
  private CompletableFuture<Boolean> readinessProbe;
  private CompletableFuture<Boolean> livenessProbe;

  LocalPod(Pod pod, String ip, Path root, HttpClient http, Map<String, String> kubeletEnv)
      throws IOException {
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
    this.ip = ip;
    this.container = pod.getSpec().getContainers().get(0);
    this.restartPolicy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    this.root = root;
    this.http = http;
    this.kubeletEnv = kubeletEnv;
    Files.createDirectories(root);
    this.log = new LogBuffer(root.resolve(container.getName() + ".log"));
  }

  String namespace() {
    return namespace;
  }

  String name() {
    return name;
  }

  String uid() {
    return uid;
  }

  String ip() {
    return ip;
  }

  LogBuffer log() {
    return log;
  }

  Optional<ContainerProcess> process() {
    return Optional.ofNullable(process).filter(ContainerProcess::alive);
  }

  boolean finished() {
    return finalTermination != null;
  }

  String containerName() {
    return container.getName();
  }

  /** The pod's own files (config, Secrets, emptyDirs) go with it; claims live elsewhere. */
  void removeDirectory() {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover directory only costs disk space in the run directory
    }
  }

  /** Starts, watches and restarts the container; called by the kubelet's loop. */
  void sync(Pod pod, ContainerRuntime runtime) {
    Instant now = Instant.now();
    if (finished()) {
      return;
    }
    if (process != null && !process.alive()) {
      onExit(now);
    }
    if (process == null && !finished() && !now.isBefore(backoffUntil)) {
      start(pod, runtime);
    }
    if (process != null && process.alive()) {
      process.sampleCpu();
      if (overMemoryLimit()) {
        // what the cgroup's OOM killer does to a container past its memory limit
        oomKilled = true;
        log.append("[sandbox kubelet] memory limit exceeded: OOM-killing the container");
        process.signal("KILL");
        return;
      }
      probe(now);
    }
  }

  private void start(Pod pod, ContainerRuntime runtime) {
    try {
      if (directory == null) {
        directory = runtime.materialise(pod, container, root);
      }
      Optional<ContainerImages.LocalCommand> command =
          runtime.images().resolve(container, directory);
      if (command.isEmpty()) {
        waitingReason = "ErrImagePull";
        waitingMessage =
            "the sandbox runs homenvr images and containers with a command; not "
                + container.getImage();
        return;
      }
      Map<String, String> env = new LinkedHashMap<>(kubeletEnv);
      for (EnvVar var : container.getEnv()) {
        fieldValue(var)
            .or(() -> runtime.envValue(namespace, var))
            .ifPresent(value -> env.put(var.getName(), directory.rewrite(value)));
      }
      env.putAll(command.get().env());
      // the pod's own address: each pod binds its ports on its 127.0.0.N, as on its own network
      env.put("HOMENVR_BIND_ADDRESS", ip);
      Files.deleteIfExists(directory.terminationLog());
      log.append(
          "[sandbox kubelet] starting " + String.join(" ", abbreviated(command.get().command())));
      process = ContainerProcess.start(command.get().command(), env, directory.root(), log);
      waitingReason = null;
      waitingMessage = null;
      ready = container.getReadinessProbe() == null;
      livenessFailures = 0;
      nextProbe = Instant.now().plusSeconds(1);
    } catch (PodDirectory.MissingVolumeSourceException e) {
      waitingReason = "ContainerCreating";
      waitingMessage = e.getMessage();
    } catch (IOException e) {
      waitingReason = "RunContainerError";
      waitingMessage = e.getMessage();
    }
  }

  /** The downward API values a pipeline or Job might read: its name, namespace and IP. */
  private Optional<String> fieldValue(EnvVar var) {
    if (var.getValueFrom() == null || var.getValueFrom().getFieldRef() == null) {
      return Optional.empty();
    }
    return switch (var.getValueFrom().getFieldRef().getFieldPath()) {
      case "metadata.name" -> Optional.of(name);
      case "metadata.namespace" -> Optional.of(namespace);
      case "metadata.uid" -> Optional.of(uid);
      case "status.podIP", "status.hostIP" -> Optional.of(ip);
      default -> Optional.empty();
    };
  }

  private void onExit(Instant now) {
    int exitCode = process.exitCode();
    ContainerStateTerminated terminated =
        new ContainerStateTerminatedBuilder()
            .withExitCode(exitCode)
            .withReason(oomKilled ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error")
            .withMessage(terminationMessage(exitCode))
            .withStartedAt(process.startedAt().toString())
            .withFinishedAt(now.toString())
            .withContainerID(containerId())
            .build();
    log.append("[sandbox kubelet] container exited with code " + exitCode);
    process = null;
    oomKilled = false;
    ready = false;
    boolean restart =
        "Always".equals(restartPolicy) || ("OnFailure".equals(restartPolicy) && exitCode != 0);
    if (!restart) {
      finalTermination = terminated;
      return;
    }
    lastTermination = terminated;
    restartCount++;
    long factor = 1L << Math.min(restartCount - 1, 10);
    Duration backoff = FIRST_BACKOFF.multipliedBy(factor);
    backoffUntil = now.plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
    waitingReason = "CrashLoopBackOff";
    waitingMessage =
        "back-off "
            + Duration.between(now, backoffUntil).toSeconds()
            + "s restarting failed container";
  }

  private String terminationMessage(int exitCode) {
    String message = "";
    try {
      Path file = directory == null ? null : directory.terminationLog();
      if (file != null && Files.exists(file)) {
        message = Files.readString(file);
      }
    } catch (IOException e) {
      message = "";
    }
    if (message.isBlank()
        && exitCode != 0
        && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
      message = log.tail(80);
    }
    if (message.length() > MESSAGE_LIMIT) {
      message = message.substring(message.length() - MESSAGE_LIMIT);
    }
    return message.isEmpty() ? null : message;
  }

  /** Readiness and liveness over HTTP GET, as the container declares them. */
  private void probe(Instant now) {
    if (readinessProbe != null && readinessProbe.isDone()) {
      ready = readinessProbe.join();
      readinessProbe = null;
    }
    if (livenessProbe != null && livenessProbe.isDone()) {
      livenessFailures = livenessProbe.join() ? 0 : livenessFailures + 1;
      livenessProbe = null;
      Probe liveness = container.getLivenessProbe();
      int threshold = liveness.getFailureThreshold() == null ? 3 : liveness.getFailureThreshold();
      if (livenessFailures >= threshold) {
        log.append(
            "[sandbox kubelet] liveness probe failed " + livenessFailures + " times: killing");
        process.stop(Duration.ofSeconds(5));
        return;
      }
    }
    if (now.isBefore(nextProbe)) {
      return;
    }
    Duration sinceStart = Duration.between(process.startedAt(), now);
    nextProbe = now.plusSeconds(1);
    // readiness at most every 2 s so a new pod turns ready promptly; liveness at its own period
    if (container.getReadinessProbe() != null
        && readinessProbe == null
        && due(container.getReadinessProbe(), sinceStart, 2)) {
      readinessProbe = httpProbe(container.getReadinessProbe());
    }
    if (container.getLivenessProbe() != null
        && livenessProbe == null
        && due(container.getLivenessProbe(), sinceStart, Integer.MAX_VALUE)) {
      livenessProbe = httpProbe(container.getLivenessProbe());
    }
  }

  private static boolean due(Probe probe, Duration sinceStart, int maxPeriod) {
    int delay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
    int period =
        Math.min(probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds(), maxPeriod);
    long elapsed = sinceStart.toSeconds() - delay;
    return elapsed >= 0 && elapsed % Math.max(period, 1) == 0;
  }

  private CompletableFuture<Boolean> httpProbe(Probe probe) {
    if (probe.getHttpGet() == null) {
      return CompletableFuture.completedFuture(true);
    }
    int port = port(probe.getHttpGet().getPort());
    int timeout = probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + ip + ":" + port + probe.getHttpGet().getPath()))
            .timeout(Duration.ofSeconds(timeout))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(response -> response.statusCode() >= 200 && response.statusCode() < 400)
        .exceptionally(e -> false);
  }

  private int port(io.fabric8.kubernetes.api.model.IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(io.fabric8.kubernetes.api.model.ContainerPort::getContainerPort)
        .findFirst()
        .orElse(80);
  }

  private boolean overMemoryLimit() {
    var resources = container.getResources();
    if (resources == null || resources.getLimits() == null) {
      return false;
    }
    var limit = resources.getLimits().get("memory");
    return limit != null && process.memoryBytes() > limit.getNumericalAmount().longValue();
  }

  /** Stops the process (SIGTERM, then SIGKILL after the grace period). */
  void kill(Duration grace) {
    if (process != null) {
      process.stop(grace);
    }
  }

  PodStatus status() {
    ContainerState state;
    boolean running = process != null && process.alive();
    if (finalTermination != null) {
      state = new ContainerStateBuilder().withTerminated(finalTermination).build();
    } else if (running) {
      state =
          new ContainerStateBuilder()
              .withNewRunning()
              .withStartedAt(process.startedAt().toString())
              .endRunning()
              .build();
    } else {
      state =
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason(waitingReason == null ? "ContainerCreating" : waitingReason)
              .withMessage(waitingMessage)
              .endWaiting()
              .build();
    }
    String phase =
        finalTermination != null
            ? (finalTermination.getExitCode() == 0 ? "Succeeded" : "Failed")
            : (running || restartCount > 0 ? "Running" : "Pending");
    boolean containerReady = running && ready;
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true));
    conditions.add(condition("Initialized", true));
    conditions.add(condition("ContainersReady", containerReady));
    conditions.add(condition("Ready", containerReady));
    return new PodStatusBuilder()
        .withPhase(phase)
        .withHostIP("127.0.0.1")
        .withPodIP(ip)
        .withPodIPs(new PodIPBuilder().withIp(ip).build())
        .withStartTime(scheduledAt.toString())
        .withConditions(conditions)
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("sandbox://" + container.getImage())
                .withContainerID(running ? containerId() : null)
                .withReady(containerReady)
                .withStarted(running)
                .withRestartCount(restartCount)
                .withState(state)
                .withNewLastState()
                .withTerminated(lastTermination)
                .endLastState()
                .build())
        .build();
  }

  private PodCondition condition(String type, boolean status) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(scheduledAt.toString())
        .build();
  }

  private String containerId() {
    return process == null ? null : "sandbox://" + process.pid();
  }

  private static List<String> abbreviated(List<String> command) {
    return command.stream()
        .map(arg -> arg.length() > 120 ? "<" + arg.length() + " chars>" : arg)
        .toList();
  }
}
