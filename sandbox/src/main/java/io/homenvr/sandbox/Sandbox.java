package io.homenvr.sandbox;

import io.homenvr.sandbox.console.Console;
import io.homenvr.sandbox.scale.ScaleBench;
import io.homenvr.sandbox.scenario.Bench;
import io.homenvr.sandbox.scenario.ScenarioResult;
import io.homenvr.sandbox.scenario.Scenarios;
import io.homenvr.sandbox.system.SandboxLayout;
import io.homenvr.sandbox.system.SandboxSystem;
import io.homenvr.sandbox.system.Thresholds;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/sandbox}: the whole homenvr system on this machine. Interactive by default; {@code
 * --scenario NAME} runs one scripted fault and exits with its verdict; {@code --bench N} repeats
 * one scenario (wedged-pipeline, or the one named with --scenario) N times and prints its detect
 * and recover times: median, p95 and range.
 */
public final class Sandbox {
  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    List<String> arguments = Arrays.asList(args);
    PrintStream out = System.out;
    if (arguments.contains("--help")) {
      out.println(
          "usage: bin/sandbox [--fast] [--helm] [--scenario NAME] [--bench N] [--run-dir DIR]\n"
              + "       bin/sandbox --scale N,N,... [--warmup S] [--window S] [--operator-jar JAR]"
              + " [--run-dir DIR]\n"
              + "  --scale      the operator with N CameraMonitors of stand-in pipelines: RSS, CPU,\n"
              + "               API requests/s and check gaps per N (bench/README.md)\n"
              + "  --helm       install the operator with the chart (its ServiceAccount and RBAC)\n"
              + "  --fast       short thresholds (checks every 2 s, frames stale after 6 s)\n"
              + "  scenarios:   "
              + String.join(", ", Scenarios.NAMES)
              + "\n\n"
              + Console.HELP);
      return;
    }
    String scale = value(arguments, "--scale", null);
    if (scale != null) {
      System.exit(scale(arguments, scale, out));
      return;
    }
    Path runDir = Path.of(value(arguments, "--run-dir", "sandbox-run"));
    boolean fast = arguments.contains("--fast");
    Thresholds thresholds = fast ? Thresholds.FAST : Thresholds.DEFAULTS;
    String scenario = value(arguments, "--scenario", null);
    String bench = value(arguments, "--bench", null);
    boolean quiet = scenario != null || bench != null;
    boolean helm = arguments.contains("--helm");
    if (helm && quiet) {
      System.err.println(
          "bin/sandbox: --helm is interactive: the scenarios kill and start the operator as a"
              + " child JVM; run them without --helm");
      System.exit(2);
      return;
    }
    SandboxSystem system;
    try {
      RunDirectory.claim(runDir, out);
      system =
          SandboxSystem.start(
              SandboxLayout.of(runDir),
              line -> {
                if (!quiet || line.startsWith("[telegram]")) {
                  out.println(line);
                }
              },
              helm);
    } catch (Exception e) {
      // one clear line; SandboxSystem.start stopped whatever it had started
      System.err.println("bin/sandbox: cannot start: " + e.getMessage());
      RunDirectory.release(runDir);
      System.exit(2);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  system.close();
                  RunDirectory.release(runDir);
                },
                "sandbox-shutdown"));
    out.println("kubeconfig: export KUBECONFIG=" + system.kubeconfig());
    String binaries = System.getenv("HOMENVR_K8S_DIR");
    if (binaries != null && !binaries.isBlank()) {
      out.println("  kubectl and helm " + binaries + ": export PATH=" + binaries + ":$PATH");
    }
    out.println("  then: kubectl get cammon; kubectl describe cammon home; kubectl get events");
    int exit = 0;
    try {
      exit = run(system, thresholds, scenario, bench, out, started);
    } catch (Throwable e) {
      System.err.println("bin/sandbox: stopped by " + e);
      exit = 1;
    }
    System.exit(exit); // the shutdown hook stops everything
  }

  private static int run(
      SandboxSystem system,
      Thresholds thresholds,
      String scenario,
      String bench,
      PrintStream out,
      long started)
      throws Exception {
    int exit = 0;
    if (bench != null) {
      exit =
          new Bench(system, thresholds, out)
                  .run(scenario == null ? "wedged-pipeline" : scenario, Integer.parseInt(bench))
              ? 0
              : 1;
    } else if (scenario != null) {
      ScenarioResult result = new Scenarios(system, thresholds, out).run(scenario);
      out.println(result);
      exit = result.passed() ? 0 : 1;
    } else {
      system.apply(system.exampleMonitor(thresholds, true));
      out.println(
          "applied the example CameraMonitor "
              + SandboxSystem.NAMESPACE
              + "/"
              + SandboxSystem.MONITOR);
      reportHealthy(system, out, started);
      new Console(system, out).run();
    }
    return exit;
  }

  /** One line when the example CameraMonitor first turns Healthy: how long a start takes. */
  private static void reportHealthy(SandboxSystem system, PrintStream out, long started) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofMinutes(10))
                    .pollInterval(java.time.Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(
                        () ->
                            system
                                .monitor()
                                .map(
                                    m ->
                                        m.getStatus() != null
                                            && m.getStatus().getPhase()
                                                == io.homenvr.api.v1alpha1.status.Phase.Healthy)
                                .orElse(false));
                out.printf(
                    "[sandbox] cammon/%s is Healthy, %.1f s after bin/sandbox started%n",
                    SandboxSystem.MONITOR, (System.nanoTime() - started) / 1e9);
                out.println("[sandbox] " + system.pipelinePage());
              } catch (org.awaitility.core.ConditionTimeoutException e) {
                out.println(
                    "[sandbox] cammon/" + SandboxSystem.MONITOR + " not Healthy after 10 min");
              }
            },
            "healthy-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** {@code --scale}: the operator scale benchmark; its own cluster, no sandbox system. */
  private static int scale(List<String> arguments, String points, PrintStream out)
      throws Exception {
    Path runDir = Path.of(value(arguments, "--run-dir", "bench/target/scale"));
    SandboxLayout layout = SandboxLayout.of(runDir);
    List<Integer> counts =
        Arrays.stream(points.split(",")).map(String::trim).map(Integer::valueOf).sorted().toList();
    RunDirectory.claim(runDir, out);
    try {
      ScaleBench bench =
          new ScaleBench(
              new ScaleBench.Settings(
                  counts,
                  Duration.ofSeconds(Long.parseLong(value(arguments, "--warmup", "20"))),
                  Duration.ofSeconds(Long.parseLong(value(arguments, "--window", "60"))),
                  layout.repositoryRoot(),
                  layout.runDir(),
                  layout.classpath(),
                  Optional.ofNullable(value(arguments, "--operator-jar", null))
                      .map(Path::of)
                      .map(Path::toAbsolutePath)
                      .orElse(null)),
              out);
      Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "scale-bench-stop"));
      String table = bench.run();
      out.println();
      out.println(table);
      return 0;
    } finally {
      RunDirectory.release(runDir);
    }
  }

  private static String value(List<String> arguments, String flag, String fallback) {
    int index = arguments.indexOf(flag);
    return index >= 0 && index + 1 < arguments.size() ? arguments.get(index + 1) : fallback;
  }
}
