package io.homenvr.sandbox.scale;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.sandbox.fakes.Ports;
import io.homenvr.sandbox.system.OperatorProcess;
import io.homenvr.testing.ChildProcess;
import io.homenvr.testing.RealCluster;
import io.homenvr.testing.StandInKubelet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operator at scale ({@code bin/sandbox --scale 10,50,100}): the real API server and
 * controller-manager, the operator as the chart runs it (its ServiceAccount and RBAC, leader
 * election, the container's JVM flags under the chart's 384Mi limit) in a child JVM, and N
 * CameraMonitors of four cameras each, with default thresholds, whose pipelines are stand-ins: a
 * stand-in kubelet runs their pods and serves their logs, one HTTP server answers every pipeline's
 * {@code /status}. For each N (ascending; the CameraMonitors of a point stay for the next) the
 * operator is started afresh, every CameraMonitor must be Healthy and fully checked by it, and
 * then, after a warm-up, one window measures: the operator's RSS and CPU, the API requests it made
 * (the API server's audit log of its ServiceAccount), and how far apart each CameraMonitor's full
 * checks were (each reads the pod's log through the kubelet, which the stand-in kubelet
 * timestamps).
 */
public final class ScaleBench implements AutoCloseable {
  static final String NAMESPACE = "cameras";
  static final String OPERATOR_NAMESPACE = "homenvr-system";
  static final String RELEASE = "homenvr";
  static final String OPERATOR_USER = "system:serviceaccount:" + OPERATOR_NAMESPACE + ":" + RELEASE;
  private static final Path CRD = Path.of("crds/cameramonitors.homenvr.io-v1.yml");
  private static final Path CHART = Path.of("helm/homenvr");

  /** The chart's default memory limit, which the container's JVM sizes its heap from. */
  static final String MEMORY_LIMIT = "384m";

  /** The operator's JVM as its container runs it (operator/Dockerfile, the chart's limit). */
  static final List<String> CONTAINER_JVM =
      List.of(
          "-XX:MaxRAM=" + MEMORY_LIMIT,
          "-XX:MaxRAMPercentage=75",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:ReservedCodeCacheSize=32m",
          "-Xss512k",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=info");

  static final int CHECK_INTERVAL_SECONDS = 10;

  /** Every pod the operator creates carries it (its CameraMonitorResources; runtime-only here). */
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  static final String MANAGED_BY = "homenvr-operator";

  /**
   * @param points the numbers of CameraMonitors, ascending
   * @param warmup after the last CameraMonitor turned Healthy, before the window
   * @param window how long each point is measured
   * @param operatorJar another build of the operator to measure (e.g. before a change); null for
   *     this checkout's
   */
  public record Settings(
      List<Integer> points,
      Duration warmup,
      Duration window,
      Path repositoryRoot,
      Path runDir,
      String classpath,
      Path operatorJar) {}

  private final Settings settings;
  private final PrintStream out;
  private final Map<String, List<Long>> logReads = new ConcurrentHashMap<>();
  private final java.util.Deque<AutoCloseable> running = new java.util.ArrayDeque<>();

  public ScaleBench(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs every point; the results as Markdown, also in {@code results.md} in the run directory. */
  public String run() throws Exception {
    Files.createDirectories(settings.runDir());
    List<ScalePoint> results = new ArrayList<>();
    int most = settings.points().stream().mapToInt(Integer::intValue).max().orElse(0);
    out.println("[scale] starting etcd, kube-apiserver, kube-controller-manager");
    try {
      RealCluster cluster =
          opened(
              RealCluster.start(
                  new RealCluster.Options(
                      false, List.of(), settings.runDir().resolve("control-plane"))));
      StandInPipelines pipelines = opened(StandInPipelines.start());
      KubernetesClient admin = cluster.admin();
      kubectl(cluster, "apply", "-f", settings.repositoryRoot().resolve(CRD).toString());
      cluster.awaitEstablished(CameraMonitor.CRD_NAME);
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NAMESPACE)
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .create();
      addServiceRange(cluster);
      Path kubeconfig = installOperatorRbac(cluster);
      Path hosts = settings.runDir().resolve("hosts");
      writeHosts(hosts, pipelines.address(), most);
      StandInKubelet kubelet =
          opened(
              new StandInKubelet(admin, NAMESPACE, Map.of(MANAGED_BY_LABEL, MANAGED_BY), () -> {}));
      kubelet.onLogRead(
          pod -> {
            long at = System.nanoTime();
            List<Long> reads = logReads.computeIfAbsent(monitorOf(pod), m -> new ArrayList<>());
            synchronized (reads) {
              reads.add(at);
            }
          });
      ScheduledExecutorService heartbeat =
          Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "standin-node-heartbeat"));
      opened(heartbeat::shutdownNow);
      heartbeat.scheduleWithFixedDelay(kubelet::heartbeat, 0, 10, TimeUnit.SECONDS);
      int created = 0;
      for (int point : settings.points()) {
        for (; created < point; created++) {
          admin.resource(monitor(created + 1)).create();
        }
        results.add(measure(point, cluster, pipelines, kubeconfig, hosts, Ports.free()));
        out.println(ScalePoint.HEADER);
        results.forEach(r -> out.println(r.row()));
        Files.writeString(settings.runDir().resolve("results.md"), ScalePoint.table(results));
      }
    } finally {
      close();
    }
    return ScalePoint.table(results);
  }

  private synchronized <T extends AutoCloseable> T opened(T resource) {
    running.push(resource);
    return resource;
  }

  /** Stops what is still running, newest first: also from a shutdown hook (Ctrl-C). */
  @Override
  public synchronized void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        out.println("[scale] while stopping: " + e);
      }
    }
  }

  private ScalePoint measure(
      int monitors,
      RealCluster cluster,
      StandInPipelines pipelines,
      Path kubeconfig,
      Path hosts,
      int httpPort)
      throws Exception {
    out.printf("[scale] %d CameraMonitors: starting the operator%n", monitors);
    Path log = settings.runDir().resolve("operator-" + monitors + ".log");
    OperatorProcess operator =
        opened(
            new OperatorProcess(
                operatorClasspath(),
                kubeconfig,
                log,
                hosts,
                Map.of(
                    "MALLOC_ARENA_MAX",
                    "2",
                    "POD_NAME",
                    "homenvr-operator-scale-" + monitors,
                    "HOMENVR_LEADER_ELECTION",
                    "true",
                    "HOMENVR_LEASE_NAME",
                    RELEASE,
                    "HOMENVR_LEASE_NAMESPACE",
                    OPERATOR_NAMESPACE,
                    "HOMENVR_HTTP_PORT",
                    Integer.toString(httpPort),
                    "HOMENVR_PIPELINE_IMAGE",
                    "homenvr-pipeline:scale",
                    "HOMENVR_AIFIX_IMAGE",
                    "homenvr-aifix:scale"),
                CONTAINER_JVM,
                line -> {}));
    try {
      long started = System.nanoTime();
      operator.start();
      awaitAllCheckedAndHealthy(cluster.admin(), monitors, started, operator);
      double readySeconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          "[scale] %d CameraMonitors Healthy and checked by the new operator after %.0f s;"
              + " warm-up %d s, window %d s%n",
          monitors, readySeconds, settings.warmup().toSeconds(), settings.window().toSeconds());
      Thread.sleep(settings.warmup().toMillis()); // the window starts after a warm-up
      Window window = Window.start(operator.pid(), apiServerPid(cluster), cluster.audit());
      List<ProcessUsage> samples = new ArrayList<>();
      long end = window.startNanos() + settings.window().toNanos();
      while (System.nanoTime() < end) {
        samples.add(ProcessUsage.of(operator.pid()));
        Thread.sleep(Math.min(2_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
      samples.add(ProcessUsage.of(operator.pid()));
      return window.finish(
          monitors,
          readySeconds,
          samples,
          copy(logReads),
          pipelines.heartbeats(),
          NAMESPACE,
          CHECK_INTERVAL_SECONDS,
          OPERATOR_USER);
    } finally {
      closed(operator);
    }
  }

  private synchronized void closed(AutoCloseable resource) throws Exception {
    if (running.remove(resource)) {
      resource.close();
    }
  }

  /**
   * Every CameraMonitor Healthy, and each one's pod log read since this operator started: each has
   * had a full check by it.
   */
  private void awaitAllCheckedAndHealthy(
      KubernetesClient admin, int monitors, long started, OperatorProcess operator) {
    long[] lastReport = {System.nanoTime()};
    await("all " + monitors + " CameraMonitors Healthy and checked")
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              if (!operator.running()) {
                throw new IllegalStateException("the operator exited (see its log)");
              }
              long healthy =
                  admin
                      .resources(CameraMonitor.class)
                      .inNamespace(NAMESPACE)
                      .list()
                      .getItems()
                      .stream()
                      .filter(
                          m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy)
                      .count();
              long checked =
                  logReads.values().stream().filter(reads -> lastOf(reads) > started).count();
              if (System.nanoTime() - lastReport[0] > 30e9) {
                lastReport[0] = System.nanoTime();
                out.printf(
                    "[scale]   %d of %d Healthy, %d checked by the new operator%n",
                    healthy, monitors, checked);
              }
              return healthy == monitors && checked == monitors;
            });
  }

  private static long lastOf(List<Long> reads) {
    synchronized (reads) {
      return reads.isEmpty() ? Long.MIN_VALUE : reads.get(reads.size() - 1);
    }
  }

  private static Map<String, List<Long>> copy(Map<String, List<Long>> reads) {
    Map<String, List<Long>> copy = new LinkedHashMap<>();
    reads.forEach(
        (monitor, times) -> {
          synchronized (times) {
            copy.put(monitor, new ArrayList<>(times));
          }
        });
    return copy;
  }

  /** The pod {@code cam-007-pipeline-5d8c7-x2x9q} is CameraMonitor {@code cam-007}'s. */
  static String monitorOf(String pod) {
    int suffix = pod.lastIndexOf("-pipeline-");
    return suffix < 0 ? pod : pod.substring(0, suffix);
  }

  static String monitorName(int index) {
    return "cam-%03d".formatted(index);
  }

  /** Four cameras, every threshold the API's default (checkIntervalSeconds 10). */
  private CameraMonitor monitor(int index) {
    StringBuilder cameras = new StringBuilder();
    for (String camera : StandInPipelines.CAMERAS) {
      cameras.append(
          "    - {name: %s, url: rtsp://192.0.2.%d:554/%s}\n"
              .formatted(camera, index % 250, camera));
    }
    String yaml =
        """
        apiVersion: homenvr.io/v1alpha1
        kind: CameraMonitor
        metadata:
          name: %s
          namespace: %s
        spec:
          cameras:
        %s"""
            .formatted(monitorName(index), NAMESPACE, cameras);
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, CameraMonitor.class);
  }

  /**
   * Room for more than 250 Services: kube-api-test starts the API server with a /24 of Service IPs
   * (its own flag comes last, so it cannot be overridden); a ServiceCIDR object adds a /16.
   */
  private void addServiceRange(RealCluster cluster) throws IOException {
    Path serviceCidr = settings.runDir().resolve("service-cidr.yaml");
    Files.writeString(
        serviceCidr,
        """
        apiVersion: networking.k8s.io/v1
        kind: ServiceCIDR
        metadata:
          name: scale-bench
        spec:
          cidrs: ["10.96.0.0/16"]
        """);
    kubectl(cluster, "apply", "-f", serviceCidr.toString());
  }

  /** Every pipeline Service's name resolves to the stand-in pipelines' address. */
  private static void writeHosts(Path hosts, String address, int monitors) throws IOException {
    StringBuilder lines = new StringBuilder("127.0.0.1 localhost\n");
    for (int i = 1; i <= monitors; i++) {
      String service = monitorName(i) + "-pipeline." + NAMESPACE;
      lines.append("%s %s.svc %s.svc.cluster.local%n".formatted(address, service, service));
    }
    Files.writeString(hosts, lines);
  }

  /**
   * The chart's ServiceAccount, its RBAC (cluster-wide, nodes, the Lease) as {@code helm template}
   * renders them, and a kubeconfig with a token of that ServiceAccount: the API server's audit log
   * records what the operator asks for under its name.
   */
  private Path installOperatorRbac(RealCluster cluster) throws IOException {
    KubernetesClient admin = cluster.admin();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    List<String> helm = new ArrayList<>();
    helm.addAll(
        List.of(
            cluster.binary("helm").toString(),
            "template",
            RELEASE,
            settings.repositoryRoot().resolve(CHART).toString(),
            "--namespace",
            OPERATOR_NAMESPACE,
            "--kube-version",
            cluster.version()));
    for (String template :
        List.of(
            "serviceaccount.yaml",
            "rbac/workload.yaml",
            "rbac/nodes.yaml",
            "rbac/leader-election.yaml")) {
      helm.addAll(List.of("--show-only", "templates/" + template));
    }
    Path rbac = settings.runDir().resolve("operator-rbac.yaml");
    Files.writeString(rbac, ChildProcess.run(Duration.ofMinutes(1), null, helm));
    kubectl(cluster, "apply", "-f", rbac.toString());
    String token =
        admin
            .serviceAccounts()
            .inNamespace(OPERATOR_NAMESPACE)
            .withName(RELEASE)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(24 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config config = cluster.adminConfig();
    String ca =
        config.getCaCertData() != null
            ? config.getCaCertData()
            : Base64.getEncoder()
                .encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    Path kubeconfig = settings.runDir().resolve("operator-kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: scale
            cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
          - name: %s
            user: {token: "%s"}
        contexts:
          - name: scale
            context: {cluster: scale, user: %s, namespace: %s}
        current-context: scale
        """
            .formatted(config.getMasterUrl(), ca, RELEASE, token, RELEASE, OPERATOR_NAMESPACE));
    return kubeconfig;
  }

  /**
   * The operator of this checkout: its module's jar and the API's, copied into the run directory (a
   * rebuild meanwhile swaps nothing), before the other dependencies of the sandbox's class path.
   */
  private String operatorClasspath() throws IOException {
    Path lib = Files.createDirectories(settings.runDir().resolve("lib"));
    StringBuilder classpath = new StringBuilder();
    for (String module : List.of("operator", "crds")) {
      Path target = settings.repositoryRoot().resolve(module).resolve("target");
      try (var jars = Files.list(target)) {
        Path jar =
            jars.filter(p -> p.getFileName().toString().matches("homenvr-.*-SNAPSHOT\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IOException("no jar in " + target + ": build first"));
        if (module.equals("operator") && settings.operatorJar() != null) {
          jar = settings.operatorJar();
        }
        Path copy = lib.resolve(jar.getFileName());
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        classpath.append(copy).append(':');
      }
    }
    for (String entry : settings.classpath().split(":")) {
      if (!entry.contains("/io/homenvr/") && !entry.endsWith("/classes")) {
        classpath.append(entry).append(':');
      }
    }
    return classpath.substring(0, classpath.length() - 1);
  }

  private static long apiServerPid(RealCluster cluster) throws IOException {
    Set<String> seen = new HashSet<>();
    for (String line : Files.readAllLines(cluster.runDir().resolve(RealCluster.PROCESSES_FILE))) {
      String[] parts = line.split(" ", 2);
      if (parts.length == 2 && parts[1].endsWith("/kube-apiserver") && seen.add(parts[0])) {
        return Long.parseLong(parts[0]);
      }
    }
    return -1;
  }

  private static void kubectl(RealCluster cluster, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(cluster.binary("kubectl").toString());
    command.add("--kubeconfig=" + cluster.kubeconfig());
    command.addAll(List.of(args));
    ChildProcess.run(Duration.ofMinutes(2), null, command);
  }
}
