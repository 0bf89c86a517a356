package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.testing.RealCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's {@code helm test} pod (templates/tests/readyz.yaml), rendered by the real helm binary
 * with its hooks, as {@code helm test} would create it: the API server admits it in a namespace
 * that enforces Pod Security "restricted", it runs ReadyzCheck from the operator's image, and the
 * URL it checks is the rendered Service that reaches the operator's /readyz port. (ReadyzCheck
 * itself: operator's ReadyzCheckTest.)
 */
class HelmTestPodTest {
  private static final String TEST_POD = "templates/tests/readyz.yaml";

  private final RealCluster cluster = RealCluster.shared();
  private final KubernetesClient admin = cluster.admin();
  private final List<String> namespaces = new ArrayList<>();

  @AfterEach
  void tearDown() {
    namespaces.forEach(n -> admin.namespaces().withName(n).delete());
  }

  /** {@code helm template} by the real binary; test hooks included (no --skip-tests). */
  private String helmTemplate(String namespace, String... more) throws Exception {
    Path home = Path.of("target", "helm-test-pod").toAbsolutePath();
    Files.createDirectories(home);
    List<String> command =
        new ArrayList<>(
            List.of(
                cluster.binary("helm").toString(),
                "template",
                Chart.RELEASE,
                Chart.DIR.toString(),
                "--namespace",
                namespace,
                "--kube-version",
                Chart.KUBE_VERSION));
    command.addAll(List.of(more));
    ProcessBuilder helm = new ProcessBuilder(command).redirectErrorStream(false);
    helm.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    helm.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    helm.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    Path err = Files.createTempFile(home, "stderr-", ".log");
    helm.redirectError(err.toFile());
    Process process = helm.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("helm template finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    return out;
  }

  private String restrictedNamespace() {
    String namespace = cluster.createNamespace("helm-test");
    namespaces.add(namespace);
    return namespace;
  }

  private Pod testPod(String namespace, String... values) throws Exception {
    List<String> args = new ArrayList<>(List.of("--show-only", TEST_POD));
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    List<HasMetadata> objects = Chart.parse(helmTemplate(namespace, args.toArray(String[]::new)));
    assertThat(objects).hasSize(1);
    return (Pod) objects.get(0);
  }

  @Test
  void theTestPodIsAdmittedUnderRestrictedAndChecksTheOperatorsReadyzThroughItsService()
      throws Exception {
    String namespace = restrictedNamespace();
    Pod pod = testPod(namespace);

    assertThat(pod.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test");
    Pod admitted = admin.resource(pod).inNamespace(namespace).create();
    assertThat(admitted.getMetadata().getUid()).as("admitted under restricted").isNotNull();

    List<String> command = pod.getSpec().getContainers().get(0).getCommand();
    assertThat(command).contains("io.homenvr.operator.ReadyzCheck");
    assertThat(Class.forName(command.get(command.indexOf("io.homenvr.operator.ReadyzCheck"))))
        .as("ReadyzCheck is in the operator's jar")
        .isNotNull();
    assertThat(pod.getSpec().getContainers().get(0).getImage())
        .as("the operator's own image")
        .isEqualTo(
            Chart.ofType(Chart.parse(helmTemplate(namespace)), Deployment.class)
                .get(0)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage());

    // the URL names a Service of the same release, on its port, which reaches the operator's
    // port that serves /readyz
    URI url = URI.create(command.get(command.size() - 1));
    assertThat(url.getPath()).isEqualTo("/readyz");
    List<HasMetadata> release = Chart.parse(helmTemplate(namespace));
    Service service =
        Chart.ofType(release, Service.class).stream()
            .filter(s -> url.getHost().equals(s.getMetadata().getName() + "." + namespace + ".svc"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "the test pod checks "
                            + url
                            + " but the chart renders no Service of that name in "
                            + namespace));
    assertThat(service.getSpec().getPorts())
        .anySatisfy(
            port -> {
              assertThat(port.getPort()).isEqualTo(url.getPort());
              Deployment operator = Chart.ofType(release, Deployment.class).get(0);
              var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
              assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
              assertThat(container.getPorts())
                  .anySatisfy(
                      p -> assertThat(p.getName()).isEqualTo(port.getTargetPort().getStrVal()));
              assertThat(service.getSpec().getSelector().entrySet())
                  .isSubsetOf(
                      operator.getSpec().getTemplate().getMetadata().getLabels().entrySet());
            });
  }

  /** The negative control: a weakened securityContext, and admission refuses the test pod. */
  @Test
  void aTestPodThatMayEscalatePrivilegesIsRefused() throws Exception {
    String namespace = restrictedNamespace();
    Pod pod = testPod(namespace, "securityContext.allowPrivilegeEscalation=true");

    assertThatThrownBy(() -> admin.resource(pod).inNamespace(namespace).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining("allowPrivilegeEscalation != false");
  }

  /** Without the metrics Service there is nothing to check through: no test pod either. */
  @Test
  void noMetricsServiceMeansNoTestPod() throws Exception {
    String manifest = helmTemplate(restrictedNamespace(), "--set", "metrics.service.enabled=false");
    assertThat(Chart.parse(manifest).stream().map(o -> o.getMetadata().getName()))
        .noneMatch(name -> name.endsWith("-test-readyz"));
  }
}
