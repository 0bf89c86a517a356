package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a user sees with the real kubectl (the pinned release) against the real API server: the
 * printer columns, a watch that shows the operator's status writes, describe with conditions and
 * Events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private TestCluster cluster;
  private String ns;

  @BeforeAll
  void start() {
    cluster = TestCluster.start();
    cluster.startOperator(Clock.systemUTC());
    ns = cluster.namespace("kubectl");
    cluster.createSecret(ns, "gate-cam", Map.of("username", "u", "password", "p"));
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void getWatchAndDescribeShowWhatTheOperatorWrote() throws Exception {
    Process watch = kubectl("-n", ns, "get", "cammon", "-w", "--output-watch-events");
    List<String> watched = new CopyOnWriteArrayList<>();
    Thread reader = pump(watch, watched);
    try {
      cluster.create(CameraMonitors.home(ns));
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  cluster
                      .client()
                      .resources(CameraMonitor.class)
                      .inNamespace(ns)
                      .withName("home")
                      .get(),
              m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Pending);

      // the watch shows the operator's status in the columns (in the object's first event when
      // kubectl listed after the operator wrote, else in a later one) ...
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  watched.stream()
                      .anyMatch(l -> l.matches("(ADDED|MODIFIED)\\s+home\\s+Pending\\s+2\\s.*")));
      int seen = watched.size();
      // ... and streams what changes afterwards
      cluster
          .client()
          .resources(CameraMonitor.class)
          .inNamespace(ns)
          .withName("home")
          .edit(
              m -> {
                m.getMetadata().setAnnotations(Map.of("example.org/touched", "yes"));
                return m;
              });
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  watched.subList(seen, watched.size()).stream()
                      .anyMatch(l -> l.matches("MODIFIED\\s+home\\s.*")));
      assertThat(watched.get(0))
          .matches("EVENT\\s+NAME\\s+PHASE\\s+CAMERAS\\s+HEALTHY\\s+RESTARTS\\s+AGE");
    } finally {
      watch.destroy();
      watch.waitFor(10, TimeUnit.SECONDS);
      reader.join(10_000);
    }

    String get = run("-n", ns, "get", "cammon");
    assertThat(get.lines().toList())
        .first()
        .asString()
        .matches("NAME\\s+PHASE\\s+CAMERAS\\s+HEALTHY\\s+RESTARTS\\s+AGE");
    assertThat(get.lines().skip(1).toList())
        .singleElement()
        .asString()
        // HEALTHY stays empty until the first health check has written it; RESTARTS is 0
        .matches("home\\s+Pending\\s+2\\s+(\\d+\\s+)?\\d+\\s+\\d+s");

    String describe = run("-n", ns, "describe", "cammon", "home");
    assertThat(describe)
        .contains("Conditions:", "Type:", "Ready", "PipelineStarting", "PipelineHealthy")
        .contains("Events:")
        .containsPattern(
            "Normal\\s+Created\\s+.*homenvr-operator.*Created ConfigMap home-pipeline");

    String events =
        run(
            "-n",
            ns,
            "get",
            "events",
            "--field-selector",
            "involvedObject.kind=CameraMonitor,involvedObject.name=home",
            "-o",
            "custom-columns=TYPE:.type,REASON:.reason,FROM:.reportingComponent");
    assertThat(events).containsPattern("Normal\\s+Created\\s+homenvr-operator");
  }

  private Process kubectl(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(cluster.real().binary("kubectl").toString());
    command.add("--kubeconfig=" + cluster.real().kubeconfig());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private String run(String... args) throws Exception {
    Process process = kubectl(args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }

  private static Thread pump(Process process, List<String> lines) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process was stopped
              }
            },
            "kubectl-watch");
    thread.start();
    return thread;
  }
}
