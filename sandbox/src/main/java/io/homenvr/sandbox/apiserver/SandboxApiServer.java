package io.homenvr.sandbox.apiserver;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * The sandbox's Kubernetes API: fabric8's mock API server in CRUD mode with the CameraMonitor CRD
 * installed, made to look enough like kube-apiserver for kubectl and the operator (see {@link
 * SandboxDispatcher}), with a kubeconfig written to a file. A stand-in: no RBAC, no server-side
 * apply, no garbage collection of owned objects.
 */
public final class SandboxApiServer implements AutoCloseable {
  // the mock logs every request at INFO through java.util.logging; kept here so it stays quiet
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final SandboxDispatcher dispatcher;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private SandboxApiServer(
      KubernetesMockServer server, SandboxDispatcher dispatcher, Path kubeconfig) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.kubeconfig = kubeconfig;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(null, readString(kubeconfig), kubeconfig.toString()))
            .build();
  }

  /**
   * Starts the API server on a free loopback port, installs the CRD and writes a kubeconfig.
   *
   * @param kubeconfig where to write the kubeconfig (its directory is created)
   * @param kubelet pod logs and metrics
   * @param requestLog every request line, for debugging (may ignore them)
   * @param defaultNamespace the kubeconfig context's namespace
   */
  public static SandboxApiServer start(
      Path kubeconfig, KubeletView kubelet, Consumer<String> requestLog, String defaultNamespace)
      throws IOException {
    SandboxDispatcher dispatcher = new SandboxDispatcher(kubelet, requestLog);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    Files.createDirectories(kubeconfig.toAbsolutePath().getParent());
    Files.writeString(kubeconfig, kubeconfigYaml(server.getPort(), defaultNamespace));
    SandboxApiServer api = new SandboxApiServer(server, dispatcher, kubeconfig);
    api.installCrd();
    api.client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
    return api;
  }

  private void installCrd() throws IOException {
    try (InputStream yaml =
        getClass()
            .getClassLoader()
            .getResourceAsStream(CrdSchemaValidator.CAMERA_MONITOR_CRD_RESOURCE)) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      dispatcher.addCustomResource(crd);
    }
  }

  /** A client of this API server, as the kubeconfig describes it. */
  public KubernetesClient client() {
    return client;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static String kubeconfigYaml(int port, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: homenvr-sandbox
            cluster:
              server: http://127.0.0.1:%d
        users:
          - name: homenvr-sandbox
            user:
              token: sandbox
        contexts:
          - name: homenvr-sandbox
            context:
              cluster: homenvr-sandbox
              user: homenvr-sandbox
              namespace: %s
        current-context: homenvr-sandbox
        """
        .formatted(port, namespace);
  }

  private static String readString(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
