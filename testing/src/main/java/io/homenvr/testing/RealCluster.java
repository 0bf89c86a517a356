package io.homenvr.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Kubernetes control plane, once per test JVM: etcd and kube-apiserver through {@code
 * io.fabric8:kube-api-test} in offline mode, and kube-controller-manager beside them (garbage
 * collection, Deployments → ReplicaSets → Pods, Jobs → Pods), all from the binaries {@code
 * bin/k8s-binaries} builds. The API server enforces RBAC, Pod Security admission and the CRDs'
 * schemas and CEL rules; it writes an {@link AuditLog} of every request a service account makes.
 *
 * <p>The shared cluster has no scheduler and no kubelet: pods are created (and admitted) but
 * nothing runs them; tests that need a running pod set its status themselves, as a kubelet would.
 * The sandbox starts its own ({@link #start(Options)}) with kube-scheduler and the API aggregation
 * a node agent's metrics API needs.
 *
 * <p>Tests share the cluster and keep out of each other's way with their own namespaces ({@link
 * #createNamespace}). Cluster-wide objects (CRDs, ClusterRoles) are created idempotently.
 */
public final class RealCluster implements AutoCloseable {
  /**
   * What to start beside etcd, kube-apiserver and kube-controller-manager.
   *
   * @param scheduler also kube-scheduler (pods get bound to nodes)
   * @param apiServerFlags more kube-apiserver flags, e.g. {@link #aggregationFlags()}
   * @param runDir where the kubeconfig, logs and audit log go; null for a new temporary directory
   */
  public record Options(boolean scheduler, List<String> apiServerFlags, Path runDir) {
    public static final Options SHARED = new Options(false, List.of(), null);
  }

  /** Where bin/test tells the tests the binaries are (what bin/k8s-binaries printed). */
  public static final String BINARIES_ENV = "HOMENVR_K8S_DIR";

  private static final String PLATFORM_SUFFIX_PREFIX = "-linux-";

  /** In the run directory: "pid command" of each control-plane process. */
  public static final String PROCESSES_FILE = "processes";

  private static RealCluster shared;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Path binaries;
  private final Path runDir;
  private final KubeAPIServer apiServer;
  private final Process controllerManager;
  private final Process scheduler;
  private final String kubeconfig;
  private final Path kubeconfigFile;
  private final Config adminConfig;
  private final KubernetesClient admin;
  private final AuditLog audit;

  private RealCluster(Path binaries, Options options) throws IOException {
    this.binaries = binaries;
    runDir =
        options.runDir() == null
            ? Files.createTempDirectory("homenvr-cluster-")
            : Files.createDirectories(options.runDir());
    Path policy = runDir.resolve("audit-policy.yaml");
    try (InputStream in = RealCluster.class.getResourceAsStream("audit-policy.yaml")) {
      Files.copy(in, policy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path auditFile = runDir.resolve("audit.log");
    Files.deleteIfExists(auditFile);
    String dirName = binaries.getFileName().toString();
    String version = dirName.substring(0, dirName.indexOf(PLATFORM_SUFFIX_PREFIX));
    apiServer =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.getParent().getParent().toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withApiServerFlag("--audit-policy-file", policy.toString())
                .withApiServerFlag("--audit-log-path", auditFile.toString())
                .withApiServerFlag("--audit-log-format", "json")
                .withApiServerFlag("--audit-log-mode", "blocking")
                .withApiServerFlags(options.apiServerFlags())
                .build());
    apiServer.start();
    kubeconfig = apiServer.getKubeConfigYaml();
    kubeconfigFile = runDir.resolve("kubeconfig");
    Files.writeString(kubeconfigFile, kubeconfig);
    adminConfig = Config.fromKubeconfig(kubeconfig);
    admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    audit = new AuditLog(auditFile);
    controllerManager = startControllerManager();
    scheduler = options.scheduler() ? startScheduler() : null;
    recordProcesses();
  }

  /**
   * Writes the control plane's processes (etcd too, whose command line names no file of ours) to
   * {@value #PROCESSES_FILE} in the run directory: what cleans up after a killed owner.
   */
  private void recordProcesses() throws IOException {
    StringBuilder lines = new StringBuilder();
    ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.startsWith(binaries.toString())).orElse(false))
        .forEach(
            p ->
                lines
                    .append(p.pid())
                    .append(' ')
                    .append(p.info().command().orElse(""))
                    .append('\n'));
    Files.writeString(runDir.resolve(PROCESSES_FILE), lines);
  }

  /**
   * A cluster of its own (the sandbox's), stopped by {@link #close()}.
   *
   * @throws IllegalStateException when a binary is missing or bin/k8s-binaries fails
   */
  public static RealCluster start(Options options) throws IOException {
    return new RealCluster(binaryDirectory(), options);
  }

  /**
   * The kube-apiserver flags for a node agent: it presents the client certificate kube-api-test
   * made ({@link #clientCa()}) to kubelets (logs) and, as the aggregator, to an APIService such as
   * metrics.k8s.io, whose Service's endpoints it reaches itself (no kube-proxy).
   */
  public static List<String> aggregationFlags() {
    Path certs = binaryDirectory().getParent().getParent();
    return List.of(
        "--kubelet-client-certificate=" + certs.resolve("client.crt"),
        "--kubelet-client-key=" + certs.resolve("client.key"),
        "--enable-aggregator-routing=true",
        "--proxy-client-cert-file=" + certs.resolve("client.crt"),
        "--proxy-client-key-file=" + certs.resolve("client.key"),
        "--requestheader-client-ca-file=" + certs.resolve("client.crt"),
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-");
  }

  /** The cluster of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized RealCluster shared() {
    if (shared == null) {
      try {
        shared = new RealCluster(binaryDirectory(), Options.SHARED);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      RealCluster started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "real-cluster-stop"));
    }
    return shared;
  }

  /**
   * The binaries bin/test built ({@value #BINARIES_ENV}); else bin/k8s-binaries is run (it only
   * checks its cache when the binaries are there), so that {@code ./mvnw verify} alone works too.
   */
  static Path binaryDirectory() {
    String fromEnv = System.getenv(BINARIES_ENV);
    Path dir;
    if (fromEnv != null && !fromEnv.isBlank()) {
      dir = Path.of(fromEnv);
    } else {
      dir = runBuildScript();
    }
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl", "kube-controller-manager")) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException(
            "no " + binary + " in " + dir + ": run bin/k8s-binaries (bin/test runs it)");
      }
    }
    return dir;
  }

  private static Path runBuildScript() {
    Path here = Path.of("").toAbsolutePath();
    Path script = null;
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/k8s-binaries"))) {
        script = p.resolve("bin/k8s-binaries");
        break;
      }
    }
    if (script == null) {
      throw new IllegalStateException(
          "no Kubernetes binaries: set " + BINARIES_ENV + " or run bin/k8s-binaries");
    }
    try {
      Process build =
          new ProcessBuilder(script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (build.waitFor() != 0) {
        throw new IllegalStateException(script + " failed (see its output above)");
      }
      String[] lines = out.strip().split("\n");
      return Path.of(lines[lines.length - 1].strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Process startControllerManager() throws IOException {
    Path certs = binaries.getParent().getParent();
    return startComponent(
        "kube-controller-manager",
        List.of(
            "--controllers=*",
            "--use-service-account-credentials=false",
            "--service-account-private-key-file=" + certs.resolve("apiserver.key")));
  }

  private Process startScheduler() throws IOException {
    return startComponent("kube-scheduler", List.of());
  }

  /** A control-plane component on the admin kubeconfig, serving only on loopback. */
  private Process startComponent(String name, List<String> flags) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(binary(name).toString());
    command.addAll(
        List.of(
            "--kubeconfig=" + kubeconfigFile,
            "--authentication-kubeconfig=" + kubeconfigFile,
            "--authorization-kubeconfig=" + kubeconfigFile,
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=" + port));
    command.addAll(flags);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(runDir.resolve(name + ".log").toFile())
        .start();
  }

  /** The CA of kube-apiserver's serving certificate, as pods get it. */
  public static Path apiServerCa() {
    return binaryDirectory().getParent().getParent().resolve("apiserver.crt");
  }

  /** The CA of the client certificate kube-apiserver presents to kubelets and APIServices. */
  public static Path clientCa() {
    return binaryDirectory().getParent().getParent().resolve("client.crt");
  }

  /** A binary of the pinned release: kube-apiserver, kubectl, helm, ... */
  public Path binary(String name) {
    return binaries.resolve(name);
  }

  /** The Kubernetes version the binaries are, e.g. {@code v1.34.4}. */
  public String version() {
    return admin.getKubernetesVersion().getGitVersion();
  }

  /** A kubeconfig with cluster-admin rights (a client certificate in group system:masters). */
  public Path kubeconfig() {
    return kubeconfigFile;
  }

  public String kubeconfigYaml() {
    return kubeconfig;
  }

  /** A client with cluster-admin rights; shared, do not close. */
  public KubernetesClient admin() {
    return admin;
  }

  /** A new cluster-admin client, for code under test that closes its client. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(adminConfig).build()).build();
  }

  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  public AuditLog audit() {
    return audit;
  }

  /** Where the control plane's files and logs are (kubeconfig, audit log, controller log). */
  public Path runDir() {
    return runDir;
  }

  /**
   * A new namespace named after {@code prefix}, with Pod Security {@code restricted} enforced, as a
   * careful k3s user labels the namespace their NVR runs in.
   */
  public String createNamespace(String prefix) {
    String name =
        prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
            + "-"
            + NAMESPACES.incrementAndGet();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/enforce-version", "latest"))
                .endMetadata()
                .build())
        .create();
    return name;
  }

  /** Creates (or replaces) a CRD and waits until the API server serves it. */
  public void installCrd(CustomResourceDefinition crd) {
    crd.getMetadata().setResourceVersion(null);
    crd.getMetadata().setManagedFields(null);
    admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(crd)
        .fieldManager("homenvr-tests")
        .forceConflicts()
        .serverSideApply();
    awaitEstablished(crd.getMetadata().getName());
  }

  /**
   * Waits until the API server serves the named CRD ({@code Established=True}). The status and its
   * conditions are filled in by the apiextensions controller some time after the create, so either
   * may still be missing when the first read comes back.
   */
  public void awaitEstablished(String crdName) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                established(
                    admin
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crdName)
                        .get()));
  }

  /** Whether a CRD, as read back, has {@code Established=True}; null-safe at every level. */
  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * A client that authenticates as a ServiceAccount with a real token from the TokenRequest API, as
   * a pod running under it would (the ServiceAccount is created when missing).
   */
  public KubernetesClient clientAs(String namespace, String serviceAccount) {
    if (admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).get() == null) {
      admin
          .serviceAccounts()
          .inNamespace(namespace)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(serviceAccount)
                  .withNamespace(namespace)
                  .endMetadata()
                  .build())
          .create();
    }
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(7200L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config config =
        new ConfigBuilder(adminConfig)
            .withClientCertData(null)
            .withClientKeyData(null)
            .withClientCertFile(null)
            .withClientKeyFile(null)
            .withOauthToken(token)
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Stops the control plane (the shared one stops with the JVM). */
  @Override
  public synchronized void close() {
    for (Process component : new Process[] {scheduler, controllerManager}) {
      if (component == null) {
        continue;
      }
      component.destroy();
      try {
        if (!component.waitFor(10, TimeUnit.SECONDS)) {
          component.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    admin.close();
    apiServer.stop();
  }
}
