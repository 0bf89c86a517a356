package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.testing.RealCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's install commands, exactly as written there, run by bash in the repository root with
 * the real helm and kubectl against the real API server; then the operator, as that release runs
 * it, answers its Deployment's probes, takes the example CameraMonitor, and {@code kubectl
 * describe} shows its conditions. The only test that uses the README's names, homenvr-system and
 * nvr.
 */
class ReadmeInstallTest {
  static final Path README = Chart.REPO.resolve("README.md");
  static final String SECTION = "## Install on k3s";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final RealCluster cluster = RealCluster.shared();

  @Test
  void theReadmesInstallCommandsWorkAsWritten() throws Exception {
    List<String> commands = installCommands();
    assertThat(commands).as("the fenced block under %s", SECTION).hasSize(3);
    try {
      for (String command : commands) {
        Shell result = shell(command);
        assertThat(result.exitCode()).as("%s%n%s", command, result.output()).isZero();
      }

      ChartRelease release = ChartRelease.existing(cluster, "homenvr", "homenvr-system");
      try (InstalledOperator operator = InstalledOperator.start(cluster, release)) {
        await()
            .atMost(DEADLINE)
            .until(
                () -> {
                  CameraMonitor home =
                      cluster
                          .admin()
                          .resources(CameraMonitor.class)
                          .inNamespace("nvr")
                          .withName("home")
                          .get();
                  return home.getStatus() != null && home.getStatus().getConditions().size() == 4;
                });

        assertThat(probePaths(release))
            .as("the Deployment's probes, asked of the operator")
            .isNotEmpty()
            .allSatisfy(path -> assertThat(httpStatus(operator, path)).as(path).isEqualTo(200));
        Shell get = shell("kubectl -n nvr get cammon");
        Shell describe = shell("kubectl -n nvr describe cammon home");

        assertThat(get.output()).contains("PHASE", "CAMERAS", "HEALTHY", "RESTARTS", "AGE");
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.output())
            .contains("Conditions:")
            .containsPattern("Type:\\s+Ready\n")
            .containsPattern("Type:\\s+PipelineHealthy\n")
            .containsPattern("Type:\\s+DependenciesHealthy\n")
            .containsPattern("Type:\\s+Escalated\n")
            .contains("Events:");
      }
    } finally {
      cluster.admin().resources(CameraMonitor.class).inNamespace("nvr").delete();
      shell("helm uninstall homenvr -n homenvr-system --ignore-not-found");
      cluster.admin().namespaces().withName("nvr").delete();
      cluster.admin().namespaces().withName("homenvr-system").delete();
    }
  }

  private static List<String> probePaths(ChartRelease release) {
    Container container =
        release.deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    return Stream.of(
            container.getStartupProbe(),
            container.getLivenessProbe(),
            container.getReadinessProbe())
        .map(probe -> probe.getHttpGet().getPath())
        .toList();
  }

  private static int httpStatus(InstalledOperator operator, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The lines of the first fenced block under the README's install heading. */
  static List<String> installCommands() throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf("\n" + SECTION + "\n");
    assertThat(section).as("README.md has a section %s", SECTION).isNotNegative();
    int open = readme.indexOf("\n```sh\n", section);
    int close = readme.indexOf("\n```\n", open + 1);
    int next = readme.indexOf("\n## ", section + 1);
    assertThat(open).as("a ```sh block in %s", SECTION).isPositive().isLessThan(next);
    return Arrays.stream(readme.substring(open + "\n```sh\n".length(), close).split("\n"))
        .filter(line -> !line.isBlank())
        .toList();
  }

  /**
   * {@code bash -c command} in the repository root, as a new user would type it: the real helm and
   * kubectl first on the PATH, the cluster in KUBECONFIG, Helm's and kubectl's caches in target/.
   */
  private Shell shell(String command) throws IOException, InterruptedException {
    Path home = Path.of("target", "readme-install").toAbsolutePath();
    Files.createDirectories(home);
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-c", command)
            .directory(Chart.REPO.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = bash.environment();
    env.put(
        "PATH",
        cluster.binary("helm").getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
    env.put("KUBECONFIG", cluster.kubeconfig().toString());
    env.put("HELM_CACHE_HOME", home.resolve("helm-cache").toString());
    env.put("HELM_CONFIG_HOME", home.resolve("helm-config").toString());
    env.put("HELM_DATA_HOME", home.resolve("helm-data").toString());
    env.put("KUBECACHEDIR", home.resolve("kube-cache").toString());
    Path output = Files.createTempFile(home, "command-", ".log");
    bash.redirectOutput(output.toFile());
    Process process = bash.start();
    process.getOutputStream().close();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    if (!finished) {
      throw new AssertionError(command + " did not finish in 60 s:\n" + printed);
    }
    return new Shell(process.exitValue(), printed);
  }

  /** What a command printed (stdout and stderr) and its exit code. */
  private record Shell(int exitCode, String output) {}
}
