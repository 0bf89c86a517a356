package io.homenvr.sandbox.system;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.sandbox.fakes.FakeOllama;
import io.homenvr.sandbox.fakes.FakeTelegram;
import io.homenvr.sandbox.fakes.Ports;
import io.homenvr.sandbox.fakes.RtspCamera;
import io.homenvr.sandbox.kubelet.ContainerProcess;
import io.homenvr.sandbox.kubelet.HomenvrImages;
import io.homenvr.sandbox.kubelet.NodeAgent;
import io.homenvr.testing.ChildProcess;
import io.homenvr.testing.RealCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole system on one machine: API server, local kubelet, two simulated cameras, stand-in
 * Ollama and Telegram, and the real operator in a child JVM; plus the faults the sandbox can inject
 * into it. Main classes and tests only wire and drive this.
 */
public final class SandboxSystem implements AutoCloseable {
  public static final String NAMESPACE = "nvr";
  public static final String MONITOR = "home";

  /** Where bin/sandbox --helm installs the chart, as the README does. */
  public static final String HELM_NAMESPACE = "homenvr-system";

  /** The chat the pipeline's detection alerts go to. */
  public static final String CHAT_ID = "123456";

  /** The chat the operator's incident reports go to: a user's family chat and their own. */
  public static final String REPORT_CHAT_ID = "654321";

  public static final String BOT_TOKEN = "123456:sandbox-bot-token";
  public static final List<String> CAMERAS = List.of("gate", "garden");

  /** The project's one RTSP server module: test mounts, or files replayed without re-encoding. */
  private static final Path RTSP_SERVER = Path.of("testing/src/main/python/rtsp_server.py");

  /** The camera showing people walking, so the local person detector has someone to find. */
  public static final String PEOPLE_CAMERA_NAME = "garden";

  /**
   * How the sandbox's "CI" names the image of a fixed commit: the pipeline still runs from this
   * checkout, but the persistent fault of the AI-fix scenarios spares pods of such an image, so
   * only a rollout of the agent's fix ends it.
   */
  public static final String FIXED_IMAGE_PREFIX = "homenvr-pipeline:fix-";

  /** Where the fault agent in each pipeline JVM listens, on the pod's own address. */
  public static final int FAULT_AGENT_PORT = 18099;

  /** OpenCV's people-walking sample, from Debian's opencv-doc (bin/debian-packages.txt). */
  private static final Path PEOPLE_VIDEO =
      Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

  private static final Path STUB_AGENT = Path.of("sandbox/stub-agent/claude");
  private static final Path CRD = Path.of("crds/cameramonitors.homenvr.io-v1.yml");

  private final SandboxLayout layout;
  private final Consumer<String> printer;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Map<String, RtspCamera> cameras = new LinkedHashMap<>();
  private RealCluster cluster;
  private NodeAgent kubelet;
  private FakeOllama ollama;
  private FakeTelegram telegram;
  private OperatorProcess operator;
  private PodDeletionHook podDeletionHook;
  private java.util.concurrent.ScheduledExecutorService persistentWedge;
  private final List<Path> mounted = new java.util.concurrent.CopyOnWriteArrayList<>();

  private SandboxSystem(SandboxLayout layout, Consumer<String> printer) {
    this.layout = layout;
    this.printer = printer;
  }

  /**
   * Starts everything but the CameraMonitor: API server, kubelet, cameras, Ollama, Telegram and the
   * operator.
   */
  public static SandboxSystem start(SandboxLayout layout, Consumer<String> printer)
      throws IOException {
    return start(layout, printer, false);
  }

  /**
   * @param helm install the operator with the chart (helm/homenvr, the pinned helm CLI) and let the
   *     node run it as the chart configures it, as its ServiceAccount with its RBAC; else the
   *     operator runs as a child JVM with cluster-admin rights, which the scenarios kill and start
   */
  public static SandboxSystem start(SandboxLayout layout, Consumer<String> printer, boolean helm)
      throws IOException {
    SandboxSystem system = new SandboxSystem(layout, printer);
    try {
      system.startAll(helm);
    } catch (IOException | RuntimeException e) {
      system.close();
      throw e;
    }
    return system;
  }

  /** vtest.avi as Debian ships it: plain, or gzipped (then unpacked once into the run dir). */
  private Path peopleVideo() throws IOException {
    if (Files.isRegularFile(PEOPLE_VIDEO)) {
      return PEOPLE_VIDEO;
    }
    Path gzipped = Path.of(PEOPLE_VIDEO + ".gz");
    if (!Files.isRegularFile(gzipped)) {
      throw new IOException(
          "no "
              + PEOPLE_VIDEO
              + "(.gz): install Debian's opencv-doc (bin/install-packages does, from"
              + " bin/debian-packages.txt)");
    }
    Path unpacked = layout.runDir().resolve("vtest.avi");
    if (!Files.isRegularFile(unpacked)) {
      Path partial = layout.runDir().resolve("vtest.avi.partial");
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gzipped))) {
        Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(partial, unpacked, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return unpacked;
  }

  private void startAll(boolean helm) throws IOException {
    Files.createDirectories(layout.runDir());
    printer.accept(
        "[sandbox] starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler");
    cluster =
        RealCluster.start(
            new RealCluster.Options(
                true, RealCluster.aggregationFlags(), layout.runDir().resolve("control-plane")));
    resources.add(cluster);
    KubernetesClient client = cluster.admin();
    kubectl("apply", "-f", layout.repositoryRoot().resolve(CRD).toString());
    cluster.awaitEstablished(CameraMonitor.CRD_NAME);
    // as a careful k3s user labels the namespace their NVR runs in
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    Path gitRoot = layout.runDir().resolve("git");
    SandboxGitRepository.create(
        gitRoot.resolve("pipeline.git"), layout.runDir().resolve("git-seed"));
    kubelet =
        new NodeAgent(
            client,
            new HomenvrImages(
                layout.classpath(),
                layout.repositoryRoot(),
                layout.repositoryRoot().resolve(STUB_AGENT),
                gitRoot,
                NodeAgent.hostsFile(layout.runDir())),
            layout.runDir(),
            Map.of(
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "STUB_AGENT_OUTCOME_FILE",
                    layout.runDir().resolve("stub-agent-outcome").toString()),
            RealCluster.clientCa(),
            RealCluster.apiServerCa(),
            line -> printer.accept("[node] " + line));
    resources.add(kubelet);
    kubelet.start();
    setStubAgentOutcome("fixed");
    for (String name : CAMERAS) {
      RtspCamera camera =
          name.equals(PEOPLE_CAMERA_NAME)
              ? RtspCamera.people(
                  layout.repositoryRoot().resolve(RTSP_SERVER),
                  peopleVideo(),
                  layout.runDir().resolve("people-640x480.mp4"),
                  printer)
              : RtspCamera.ball(layout.repositoryRoot().resolve(RTSP_SERVER), printer);
      cameras.put(name, camera);
      resources.add(camera);
    }
    ollama = FakeOllama.start(line -> printer.accept("[ollama] " + line));
    resources.add(ollama);
    telegram =
        FakeTelegram.start(
            message ->
                printer.accept(
                    "[telegram] "
                        + (message.photo() ? "photo" : "message")
                        + " to "
                        + message.chatId()
                        + ": "
                        + message.text().replace("\n", "\n           ")));
    resources.add(telegram);
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("telegram")
                .endMetadata()
                .addToStringData("token", BOT_TOKEN)
                .build())
        .create();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("aifix")
                .endMetadata()
                .addToStringData("apiKey", "sk-ant-sandbox-not-a-real-key")
                .build())
        .create();
    if (helm) {
      installChart();
      return;
    }
    operator =
        new OperatorProcess(
            layout.classpath(),
            cluster.kubeconfig(),
            layout.runDir().resolve("operator.log"),
            NodeAgent.hostsFile(layout.runDir()),
            Map.of(
                "HOMENVR_LEADER_ELECTION",
                "false",
                "HOMENVR_HTTP_PORT",
                Integer.toString(Ports.free()),
                "HOMENVR_PIPELINE_IMAGE",
                "homenvr-pipeline:sandbox",
                "HOMENVR_AIFIX_IMAGE",
                "homenvr-aifix:sandbox",
                "HOMENVR_WATCH_NAMESPACES",
                NAMESPACE),
            line -> printer.accept("[operator] " + line));
    resources.add(operator);
    operator.start();
    podDeletionHook =
        new PodDeletionHook(
            client,
            operator,
            NAMESPACE,
            MONITOR + "-pipeline-",
            layout.runDir().resolve("hook"),
            RealCluster.clientCa());
    resources.add(podDeletionHook);
  }

  /**
   * Arms the operator-restart hook: the operator's next request to delete a pipeline pod (a restart
   * it has already written to status) kills it first and is refused.
   */
  public void killOperatorAtNextPipelineDeletion() {
    podDeletionHook.arm();
  }

  /** Whether the armed hook killed the operator within the timeout. */
  public boolean operatorKilledAtPipelineDeletion(java.time.Duration timeout)
      throws InterruptedException {
    return podDeletionHook.awaitFired(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The example CameraMonitor, pointed at this sandbox's cameras and stand-ins. */
  public String exampleMonitor(Thresholds thresholds, boolean aiFix) {
    return exampleMonitor(thresholds, aiFix, 600);
  }

  /**
   * The sandbox's CameraMonitor.
   *
   * @param logStaleSeconds spec.health.logStaleSeconds (the API's default is 600)
   */
  public String exampleMonitor(Thresholds thresholds, boolean aiFix, int logStaleSeconds) {
    StringBuilder cameraList = new StringBuilder();
    cameras.forEach(
        (name, camera) ->
            cameraList.append(
                "    - name: %s%n      url: %s%n      detect: {fps: 5, width: 320}%n"
                    .formatted(name, camera.url())));
    return """
        apiVersion: homenvr.io/v1alpha1
        kind: CameraMonitor
        metadata:
          name: %s
          namespace: %s
        spec:
          cameras:
        %s
          vision:
            endpoint: %s
            model: %s
            timeoutSeconds: 30
          alerts:
            cooldownSeconds: 30
            telegram:
              botTokenSecretRef: {name: telegram, key: token}
              chatId: "%s"
              apiBaseUrl: %s
          health:
            checkIntervalSeconds: %d
            frameStaleSeconds: %d
            logStaleSeconds: %d
            cpuSpinMillicores: 800
          recovery:
            maxRestarts: %d
            recoveryGraceSeconds: %d
            backoffSeconds: 0
          escalation:
            telegram:
              botTokenSecretRef: {name: telegram, key: token}
              chatId: "%s"
              apiBaseUrl: %s
            aiFix:
              enabled: %s
              repository: {url: %spipeline.git, ref: main}
              apiKeySecretRef: {name: aifix, key: apiKey}
              timeoutSeconds: 120
              imageTemplate: %s
              cooldownHours: 0
              verifySeconds: %d
        """
        .formatted(
            MONITOR,
            NAMESPACE,
            cameraList.toString().stripTrailing().indent(0).stripTrailing(),
            ollama.endpoint(),
            FakeOllama.MODEL,
            CHAT_ID,
            telegram.baseUrl(),
            thresholds.checkIntervalSeconds(),
            thresholds.frameStaleSeconds(),
            logStaleSeconds,
            thresholds.maxRestarts(),
            thresholds.recoveryGraceSeconds(),
            REPORT_CHAT_ID,
            telegram.baseUrl(),
            aiFix,
            HomenvrImages.SANDBOX_GIT,
            FIXED_IMAGE_PREFIX + "{commit}",
            Math.max(30, thresholds.recoveryGraceSeconds()));
  }

  /** Applies a CameraMonitor given as YAML (the 422 of a bad one surfaces as an exception). */
  public CameraMonitor apply(String yaml) {
    CameraMonitor monitor =
        cluster.admin().getKubernetesSerialization().unmarshal(yaml, CameraMonitor.class);
    return cluster
        .admin()
        .resource(monitor)
        .inNamespace(NAMESPACE)
        .createOr(existing -> existing.update());
  }

  public Optional<CameraMonitor> monitor() {
    return Optional.ofNullable(
        cluster
            .admin()
            .resources(CameraMonitor.class)
            .inNamespace(NAMESPACE)
            .withName(MONITOR)
            .get());
  }

  /** The running pipeline pod, if any. */
  /** Where the running pipeline's own page is: live view, recordings, playback. */
  public String pipelinePage() {
    return pipelinePod()
        .map(pod -> pod.getStatus().getPodIP())
        .filter(ip -> ip != null && !ip.isBlank())
        .map(
            ip ->
                "pipeline page (live view, recordings, playback): http://%s:8080/ (per camera:"
                        .formatted(ip)
                    + " http://%s:8080/camera/gate)".formatted(ip))
        .orElse("no pipeline pod is running");
  }

  public Optional<Pod> pipelinePod() {
    return cluster.admin().pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> pod.getMetadata().getName().startsWith(MONITOR + "-pipeline"))
        .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))
        .findFirst();
  }

  /** Deletes the CameraMonitor and waits until its pipeline pods are gone. */
  public void deleteMonitor() {
    cluster
        .admin()
        .resources(CameraMonitor.class)
        .inNamespace(NAMESPACE)
        .withName(MONITOR)
        .delete();
    org.awaitility.Awaitility.await("the old CameraMonitor's pods are gone")
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(
            () ->
                cluster.admin().pods().inNamespace(NAMESPACE).list().getItems().isEmpty()
                    && cluster
                        .admin()
                        .apps()
                        .deployments()
                        .inNamespace(NAMESPACE)
                        .list()
                        .getItems()
                        .isEmpty());
  }

  // ---- faults ----

  /**
   * A bug in the code, as far as restarts go: every pipeline process is wedged (SIGSTOP) a few
   * seconds after it starts, until {@link #stopPersistentWedge()}, except a pod that runs the image
   * of an AI fix ({@link #FIXED_IMAGE_PREFIX}): only rolling out the fix ends it.
   */
  public synchronized void startPersistentWedge() {
    stopPersistentWedge();
    persistentWedge =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "persistent-wedge");
              thread.setDaemon(true);
              return thread;
            });
    java.util.Set<Long> wedged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    persistentWedge.scheduleWithFixedDelay(
        () ->
            pipelinePod()
                .filter(
                    pod ->
                        !pod.getSpec()
                            .getContainers()
                            .get(0)
                            .getImage()
                            .startsWith(FIXED_IMAGE_PREFIX))
                .flatMap(pod -> kubelet.process(NAMESPACE, pod.getMetadata().getName()))
                .filter(
                    process ->
                        process.startedAt().isBefore(java.time.Instant.now().minusSeconds(3)))
                .filter(process -> wedged.add(process.pid()))
                .ifPresent(
                    process -> {
                      process.signal("STOP");
                      printer.accept("[fault] pipeline pid " + process.pid() + " wedged again");
                    }),
        0,
        500,
        TimeUnit.MILLISECONDS);
  }

  /** The chart, as the README installs it, with this checkout's images; waits until it runs. */
  private void installChart() throws IOException {
    printer.accept("[sandbox] helm install homenvr ./helm/homenvr -n " + HELM_NAMESPACE);
    ChildProcess.run(
        java.time.Duration.ofMinutes(3),
        layout.repositoryRoot(),
        List.of(
            cluster.binary("helm").toString(),
            "install",
            "homenvr",
            "./helm/homenvr",
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--namespace",
            HELM_NAMESPACE,
            "--create-namespace",
            "--set",
            "watchNamespaces={" + NAMESPACE + "}",
            "--set",
            "image.tag=sandbox",
            "--set",
            "pipeline.image.tag=sandbox",
            "--set",
            "aifix.image.tag=sandbox",
            "--wait",
            "--timeout",
            "150s"));
  }

  /** Whether the operator is the chart's pod (bin/sandbox --helm) rather than a child JVM. */
  public boolean operatorFromChart() {
    return operator == null;
  }

  /** Undoes every fault: cameras, Ollama, Telegram and the operator back, no wedging. */
  public void resetFaults() throws IOException {
    stopPersistentWedge();
    for (RtspCamera camera : cameras.values()) {
      camera.revive();
    }
    ollama.up();
    telegram.mode(FakeTelegram.Mode.OK);
    if (operator != null) {
      operator.start();
    }
  }

  public synchronized void stopPersistentWedge() {
    if (persistentWedge != null) {
      persistentWedge.shutdownNow();
      persistentWedge = null;
    }
  }

  /** The seed's failure: the pipeline's process stops dead (SIGSTOP) but stays "running". */
  public String wedgePipeline() {
    return withPipeline(
        (pod, process) -> {
          process.signal("STOP");
          return "pipeline " + pod + " (pid " + process.pid() + ") wedged with SIGSTOP";
        });
  }

  /**
   * The 300 % zombie, from inside the process: every camera's capture thread stops on its next
   * frame while two pipeline threads spin; the process lives and /status answers.
   */
  public String spinPipeline() {
    return injectFault("spin?threads=2");
  }

  /**
   * The seed's bug: one camera's capture thread blocks forever on a lock another thread took (to
   * close its reader) and never gives back; the other cameras stream on, /status answers.
   */
  public String deadlockCamera(String camera) {
    return injectFault("deadlock?camera=" + camera);
  }

  /**
   * A recording that stalls while frames flow: the camera's muxer blocks forever in a write, as on
   * a hung disk or NFS mount; capture, detection and /status go on.
   */
  public String wedgeRecorder(String camera) {
    return injectFault("wedge-recorder?camera=" + camera);
  }

  /** The pipeline stops logging; frames, /status and everything else go on. */
  public String silenceLogs() {
    return injectFault("silence");
  }

  /**
   * Error lines at ERROR through the pipeline's own logger while frames flow: serious ones (an
   * analysis loop failing), or transient ones (connections reset) that must not trigger anything.
   */
  public String errorStorm(boolean serious, int count, long everyMs) {
    return injectFault(
        "errors?kind=%s&count=%d&everyMs=%d"
            .formatted(serious ? "serious" : "transient", count, everyMs));
  }

  /** Asks the fault agent inside the running pipeline's JVM (sandbox only) for a fault. */
  private String injectFault(String fault) {
    Pod pod =
        pipelinePod().orElseThrow(() -> new IllegalStateException("no pipeline pod is running"));
    String url =
        "http://%s:%d/faults/%s".formatted(pod.getStatus().getPodIP(), FAULT_AGENT_PORT, fault);
    try {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                      .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                      .timeout(java.time.Duration.ofSeconds(5))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "fault agent refused " + fault + ": " + response.body().strip());
      }
      return "pipeline " + pod.getMetadata().getName() + ": " + response.body().strip();
    } catch (IOException e) {
      throw new IllegalStateException(
          "no fault agent in pipeline "
              + pod.getMetadata().getName()
              + " at "
              + url
              + " (is homenvr-fault-agent on the sandbox's class path?): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String withPipeline(
      java.util.function.BiFunction<String, ContainerProcess, String> fault) {
    Pod pod =
        pipelinePod().orElseThrow(() -> new IllegalStateException("no pipeline pod is running"));
    ContainerProcess process =
        kubelet
            .process(NAMESPACE, pod.getMetadata().getName())
            .orElseThrow(() -> new IllegalStateException("the pipeline pod has no process yet"));
    return fault.apply(pod.getMetadata().getName(), process);
  }

  public RtspCamera camera(String name) {
    RtspCamera camera = cameras.get(name);
    if (camera == null) {
      throw new IllegalArgumentException("no camera " + name + "; cameras: " + cameras.keySet());
    }
    return camera;
  }

  public Map<String, RtspCamera> cameras() {
    return cameras;
  }

  public FakeOllama ollama() {
    return ollama;
  }

  public FakeTelegram telegram() {
    return telegram;
  }

  public OperatorProcess operator() {
    return operator;
  }

  public NodeAgent kubelet() {
    return kubelet;
  }

  public KubernetesClient client() {
    return cluster.admin();
  }

  public Path kubeconfig() {
    return cluster.kubeconfig();
  }

  /** Runs the pinned kubectl against the sandbox, as a user would; fails on a non-zero exit. */
  public String kubectl(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(cluster.binary("kubectl").toString());
    command.add("--kubeconfig=" + cluster.kubeconfig());
    command.addAll(List.of(args));
    return ChildProcess.run(java.time.Duration.ofSeconds(60), null, command);
  }

  /** What the stub AI agent does on its next run: "fixed" (commits a change) or "no-fix". */
  public void setStubAgentOutcome(String outcome) {
    try {
      Files.writeString(layout.runDir().resolve("stub-agent-outcome"), outcome);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fills the pipeline's data volume: mounts a 32 MiB tmpfs over it (root only, so the host disk is
   * never filled) and allocates all of it.
   */
  public String fillDataVolume() throws IOException, InterruptedException {
    Pod pod =
        pipelinePod().orElseThrow(() -> new IllegalStateException("no pipeline pod is running"));
    Path data =
        kubelet
            .podRoot(NAMESPACE, pod.getMetadata().getName())
            .orElseThrow()
            .resolve("volumes/data");
    if (!"0".equals(run("id", "-u").trim())) {
      return "filling the data volume needs root (it mounts a small tmpfs over " + data + ")";
    }
    run("mount", "-t", "tmpfs", "-o", "size=32m", "homenvr-sandbox-data", data.toString());
    mounted.add(data);
    run("fallocate", "-l", "32m", data.resolve("filler").toString());
    return "data volume " + data + " is full (32 MiB tmpfs, 100 % used)";
  }

  /** Undoes {@link #fillDataVolume()}. */
  public String freeDataVolume() throws IOException, InterruptedException {
    Pod pod =
        pipelinePod().orElseThrow(() -> new IllegalStateException("no pipeline pod is running"));
    Path data =
        kubelet
            .podRoot(NAMESPACE, pod.getMetadata().getName())
            .orElseThrow()
            .resolve("volumes/data");
    run("umount", "-l", data.toString());
    mounted.remove(data);
    return "data volume " + data + " freed";
  }

  private static String run(String... command) throws IOException, InterruptedException {
    return ChildProcess.run(java.time.Duration.ofSeconds(10), null, List.of(command));
  }

  @Override
  public void close() {
    for (Path data : mounted) {
      try {
        run("umount", "-l", data.toString());
      } catch (IOException | InterruptedException e) {
        printer.accept("[sandbox] could not unmount " + data + ": " + e.getMessage());
      }
    }
    stopPersistentWedge();
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        printer.accept(
            "[sandbox] stopping " + resources.get(i).getClass().getSimpleName() + ": " + e);
      }
    }
  }
}
