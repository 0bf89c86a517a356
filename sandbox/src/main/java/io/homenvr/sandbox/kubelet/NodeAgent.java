package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
 * The sandbox's one node, standing in for a kubelet beside the real control plane: it registers the
 * Node {@value #NODE} (this machine's capacity, Ready, its Lease renewed), runs the pods the
 * scheduler binds to it as local processes on their own 127.0.0.N ({@link LocalPod}), keeps their
 * status true, finishes their graceful deletion, and serves what kube-apiserver asks a kubelet:
 * container logs, and pod and node metrics as the {@code metrics.k8s.io} APIService ({@link
 * KubeletServer}). Deployments, ReplicaSets, Jobs and garbage collection are the real controllers'
 * work.
 */
public final class NodeAgent implements AutoCloseable {
  public static final String NODE = "sandbox";

  private static final Duration TICK = Duration.ofMillis(250);
  private static final Duration LEASE_RENEWAL = Duration.ofSeconds(10);
  private static final int LEASE_SECONDS = 40;

  /** Shorter than Kubernetes' 30 s: a SIGSTOPped pipeline never handles SIGTERM anyway. */
  private static final Duration MAX_GRACE = Duration.ofSeconds(3);

  private static final String METRICS_SERVICE = "sandbox-metrics";

  private final KubernetesClient client;
  private final ContainerRuntime runtime;
  private final Path runRoot;
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
            Thread thread = new Thread(runnable, "sandbox-node");
            thread.setDaemon(true);
            return thread;
          });
  private final ServiceDns dns;
  private final Path clientCa;
  private KubeletServer server;
  private int nextAddress = 2;
  private Instant nextLeaseRenewal = Instant.MIN;

  /**
   * @param client cluster-admin client of the control plane
   * @param images how containers become commands
   * @param runRoot where pod directories, claims and the node's certificate live
   * @param kubeletEnv environment every container gets (e.g. PATH, JAVA_HOME)
   * @param clientCa the CA of the client certificates kube-apiserver presents to kubelets
   * @param clusterCa the CA of kube-apiserver's serving certificate (given to pods)
   * @param events one line per thing the node did, for the console
   */
  public NodeAgent(
      KubernetesClient client,
      ContainerImages images,
      Path runRoot,
      Map<String, String> kubeletEnv,
      Path clientCa,
      Path clusterCa,
      Consumer<String> events) {
    this.client = client;
    this.runtime = new ContainerRuntime(client, images, runRoot.resolve("claims"), clusterCa);
    this.runRoot = runRoot;
    this.podsRoot = runRoot.resolve("pods");
    this.kubeletEnv = Map.copyOf(kubeletEnv);
    this.clientCa = clientCa;
    this.events = events;
    this.dns = new ServiceDns(hostsFile(runRoot));
  }

  /** The hosts file where Services resolve to pods (see {@link ServiceDns}). */
  public static Path hostsFile(Path runRoot) {
    return runRoot.resolve("hosts");
  }

  /**
   * The node's address as kube-apiserver reaches it: a non-loopback IPv4 address of this machine
   * (Kubernetes refuses loopback endpoints for the metrics APIService).
   */
  public static InetAddress nodeAddress() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(NodeAgent::upAndNotLoopback)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no network interface with an IPv4 address besides loopback: the node"
                          + " needs one for kube-apiserver to reach it"));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean upAndNotLoopback(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  /** Serves the kubelet API, registers the node and the metrics APIService, then runs pods. */
  public void start() throws IOException {
    InetAddress address = nodeAddress();
    try {
      server =
          new KubeletServer(
              new InetSocketAddress(address, 0),
              TlsIdentity.create(
                      runRoot.resolve("node"),
                      List.of(address, InetAddress.getLoopbackAddress()),
                      clientCa)
                  .context(),
              new ServedPods());
    } catch (GeneralSecurityException e) {
      throw new IOException("the node's TLS identity: " + e.getMessage(), e);
    }
    registerNode(address);
    registerMetricsApi(address);
    loop.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void registerNode(InetAddress address) {
    long memoryKi = memoryKibibytes();
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())),
            "memory", new Quantity(memoryKi + "Ki"),
            "pods", new Quantity("110"),
            "ephemeral-storage", new Quantity("100Gi"));
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(NODE)
            .addToLabels("kubernetes.io/hostname", NODE)
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels(
                "kubernetes.io/arch", System.getProperty("os.arch").replace("x86_64", "amd64"))
            .addToLabels("node-role.kubernetes.io/sandbox", "")
            .endMetadata()
            .build();
    client.nodes().resource(node).createOr(existing -> existing.update());
    // the node controllers write to a new Node too (taints, CIDRs): retry on their conflicts
    org.awaitility.Awaitility.await("the Node's status is written")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(() -> writeNodeStatus(capacity, address) != null);
    events.accept(
        "node " + NODE + " registered at " + address.getHostAddress() + ":" + server.port());
  }

  private io.fabric8.kubernetes.api.model.Node writeNodeStatus(
      Map<String, Quantity> capacity, InetAddress address) {
    return client
        .nodes()
        .withName(NODE)
        .editStatus(
            n -> {
              n.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .withCapacity(capacity)
                      .withAllocatable(capacity)
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress(address.getHostAddress())
                      .endAddress()
                      .addNewAddress()
                      .withType("Hostname")
                      .withAddress(address.getHostAddress())
                      .endAddress()
                      .withNewDaemonEndpoints()
                      .withNewKubeletEndpoint()
                      .withPort(server.port())
                      .endKubeletEndpoint()
                      .endDaemonEndpoints()
                      .withNewNodeInfo()
                      .withArchitecture(System.getProperty("os.arch"))
                      .withOperatingSystem("linux")
                      .withOsImage("homenvr sandbox")
                      .withKernelVersion(System.getProperty("os.version"))
                      .withKubeletVersion(client.getKubernetesVersion().getGitVersion())
                      .withKubeProxyVersion("")
                      .withContainerRuntimeVersion("sandbox://local-processes")
                      .withMachineID("")
                      .withSystemUUID("")
                      .withBootID("")
                      .endNodeInfo()
                      .withConditions(readyConditions())
                      .build());
              return n;
            });
  }

  private static List<NodeCondition> readyConditions() {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
      conditions.add(nodeCondition(pressure, "False", "KubeletHasNo" + pressure, now));
    }
    conditions.add(nodeCondition("Ready", "True", "KubeletReady", now));
    return conditions;
  }

  private static NodeCondition nodeCondition(
      String type, String status, String reason, String now) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("sandbox node agent: " + reason)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  /** metrics.k8s.io, served by this node and reached by the aggregator through the node's IP. */
  private void registerMetricsApi(InetAddress address) {
    client
        .services()
        .inNamespace("kube-system")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(METRICS_SERVICE)
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("https")
                .withPort(443)
                .withNewTargetPort(server.port())
                .endPort()
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
    client
        .endpoints()
        .inNamespace("kube-system")
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName(METRICS_SERVICE)
                .withNamespace("kube-system")
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp(address.getHostAddress())
                .endAddress()
                .addNewPort()
                .withName("https")
                .withPort(server.port())
                .endPort()
                .endSubset()
                .build())
        .createOr(existing -> existing.update());
    client
        .resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("apiregistration.k8s.io/v1")
                .withKind("APIService")
                .withNewMetadata()
                .withName("v1beta1.metrics.k8s.io")
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of(
                        "service",
                        Map.of("name", METRICS_SERVICE, "namespace", "kube-system", "port", 443),
                        "group",
                        "metrics.k8s.io",
                        "version",
                        "v1beta1",
                        "insecureSkipTLSVerify",
                        true,
                        "groupPriorityMinimum",
                        100,
                        "versionPriority",
                        100))
                .build())
        .createOr(existing -> existing.update());
  }

  private void tickSafely() {
    try {
      tick();
    } catch (KubernetesClientException e) {
      events.accept("node: API error, retrying: " + e.getMessage());
    } catch (RuntimeException e) {
      events.accept("node: " + e);
    }
  }

  /** One pass: the Lease, every pod bound here, DNS. */
  void tick() {
    if (Instant.now().isAfter(nextLeaseRenewal)) {
      renewLease();
      nextLeaseRenewal = Instant.now().plus(LEASE_RENEWAL);
    }
    List<Pod> bound =
        client.pods().inAnyNamespace().withField("spec.nodeName", NODE).list().getItems();
    Set<String> live = new HashSet<>();
    for (Pod pod : bound) {
      live.add(pod.getMetadata().getUid());
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        finishDeletion(pod);
      } else {
        syncPod(pod);
      }
    }
    for (LocalPod local : List.copyOf(pods.values())) {
      if (!live.contains(local.uid())) {
        events.accept("node: pod " + local.name() + " is gone: stopping its process");
        forget(local, MAX_GRACE);
      }
    }
    Map<String, String> addresses = new java.util.HashMap<>();
    pods.values().forEach(local -> addresses.put(local.uid(), local.ip()));
    try {
      dns.update(client.services().inAnyNamespace().list().getItems(), bound, addresses);
    } catch (IOException e) {
      events.accept("node: cannot write the hosts file: " + e.getMessage());
    }
  }

  private void renewLease() {
    ZonedDateTime now = ZonedDateTime.now(java.time.ZoneOffset.UTC);
    client
        .leases()
        .inNamespace("kube-node-lease")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(NODE)
                .withNamespace("kube-node-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(NODE)
                .withLeaseDurationSeconds(LEASE_SECONDS)
                .withRenewTime(now)
                .endSpec()
                .build())
        .createOr(existing -> existing.update());
  }

  /** A pod being deleted: its process stops (within its grace), then the pod object goes. */
  private void finishDeletion(Pod pod) {
    LocalPod local = pods.get(pod.getMetadata().getUid());
    if (local != null) {
      Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
      Duration wait =
          grace == null || grace > MAX_GRACE.toSeconds() ? MAX_GRACE : Duration.ofSeconds(grace);
      events.accept("node: pod " + local.name() + " deleted: stopping its process");
      forget(local, wait);
    }
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      // already gone
    }
  }

  private void forget(LocalPod local, Duration grace) {
    local.kill(grace);
    pods.remove(local.uid());
    writtenStatus.remove(local.uid());
    local.removeDirectory();
  }

  private void syncPod(Pod pod) {
    String uid = pod.getMetadata().getUid();
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
            "node: cannot create the directory of pod "
                + pod.getMetadata().getName()
                + ": "
                + e.getMessage());
        return;
      }
      pods.put(uid, local);
      started.add(Map.entry(pod.getMetadata().getNamespace(), Instant.now()));
      events.accept("node: pod " + pod.getMetadata().getName() + " runs on " + local.ip());
    }
    local.sync(pod, runtime);
    PodStatus status = local.status();
    if (!status.equals(writtenStatus.get(uid))) {
      try {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .editStatus(
                p -> {
                  p.setStatus(status);
                  return p;
                });
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

  private static long memoryKibibytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return Runtime.getRuntime().maxMemory() / 1024;
  }

  // ---- what kube-apiserver and the console ask ----

  /** The lines a pod's container logged, as {@code kubectl logs} shows them. */
  public Optional<String> logs(
      String namespace, String pod, Integer tailLines, boolean timestamps) {
    return find(namespace, pod).map(local -> local.log().render(tailLines, timestamps));
  }

  public Optional<PodMetrics> metrics(String namespace, String pod) {
    return find(namespace, pod).flatMap(NodeAgent::metricsOf);
  }

  private static Optional<PodMetrics> metricsOf(LocalPod pod) {
    return pod.process()
        .map(
            process ->
                new PodMetricsBuilder()
                    .withNewMetadata()
                    .withName(pod.name())
                    .withNamespace(pod.namespace())
                    .withCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .endMetadata()
                    .withTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(5)))
                    .addNewContainer()
                    .withName(pod.containerName())
                    .withUsage(
                        Map.of(
                            "cpu", new Quantity(process.cpuNanocores() + "n"),
                            "memory", new Quantity(process.memoryBytes() / 1024 + "Ki")))
                    .endContainer()
                    .build());
  }

  /** What the kubelet server answers. */
  private final class ServedPods implements KubeletServer.Pods {
    @Override
    public Optional<LogBuffer> log(String namespace, String pod, String container) {
      return find(namespace, pod)
          .filter(local -> local.containerName().equals(container))
          .map(LocalPod::log);
    }

    @Override
    public boolean running(String namespace, String pod) {
      return find(namespace, pod).map(local -> !local.finished()).orElse(false);
    }

    @Override
    public Optional<PodMetrics> metrics(String namespace, String pod) {
      return NodeAgent.this.metrics(namespace, pod);
    }

    @Override
    public List<PodMetrics> metrics(Optional<String> namespace) {
      return pods.values().stream()
          .filter(pod -> namespace.map(pod.namespace()::equals).orElse(true))
          .sorted(Comparator.comparing(LocalPod::name))
          .map(NodeAgent::metricsOf)
          .flatMap(Optional::stream)
          .toList();
    }

    @Override
    public NodeMetrics nodeMetrics() {
      long nanocores = 0;
      long memory = 0;
      for (LocalPod pod : pods.values()) {
        Optional<ContainerProcess> process = pod.process();
        if (process.isPresent()) {
          nanocores += process.get().cpuNanocores();
          memory += process.get().memoryBytes();
        }
      }
      return new NodeMetricsBuilder()
          .withNewMetadata()
          .withName(NODE)
          .endMetadata()
          .withTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
          .withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(5)))
          .withUsage(
              Map.of(
                  "cpu", new Quantity(nanocores + "n"),
                  "memory", new Quantity(memory / 1024 + "Ki")))
          .build();
    }
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

  /** Stops the loop, the kubelet server and every process. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (server != null) {
      server.close();
    }
    pods.values().parallelStream().forEach(pod -> pod.kill(MAX_GRACE));
    pods.clear();
  }
}
