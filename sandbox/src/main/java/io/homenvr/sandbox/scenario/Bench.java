package io.homenvr.sandbox.scenario;

import io.homenvr.sandbox.system.SandboxSystem;
import io.homenvr.sandbox.system.Thresholds;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code --bench N [--scenario NAME]}: one scenario (wedged-pipeline unless named) N times: median,
 * p95 and range of its times.
 */
public final class Bench {
  private final SandboxSystem system;
  private final Thresholds thresholds;
  private final PrintStream out;

  public Bench(SandboxSystem system, Thresholds thresholds, PrintStream out) {
    this.system = system;
    this.thresholds = thresholds;
    this.out = out;
  }

  /** Runs the repetitions; false when any failed. */
  public boolean run(int repetitions) {
    return run("wedged-pipeline", repetitions);
  }

  /** Runs one scenario's repetitions; false when any failed. */
  public boolean run(String scenario, int repetitions) {
    Scenarios scenarios = new Scenarios(system, thresholds, out);
    List<Duration> detect = new ArrayList<>();
    List<Duration> restart = new ArrayList<>();
    List<Duration> restore = new ArrayList<>();
    List<Duration> recover = new ArrayList<>();
    boolean allPassed = true;
    for (int i = 1; i <= repetitions; i++) {
      ScenarioResult result = scenarios.run(scenario);
      out.println("run " + i + "/" + repetitions + ": " + result);
      allPassed &= result.passed();
      if (result.passed()) {
        detect.add(result.detect());
        if (result.restart() != null) {
          restart.add(result.restart());
        }
        restore.add(result.restore());
        recover.add(result.recover());
      }
    }
    out.println(
        "%s, %d runs (%d passed), thresholds: check every %d s, stale after %d s, grace %d s"
            .formatted(
                scenario,
                repetitions,
                detect.size(),
                thresholds.checkIntervalSeconds(),
                thresholds.frameStaleSeconds(),
                thresholds.recoveryGraceSeconds()));
    out.println(
        "  time-to-detect  median "
            + percentile(detect, 50)
            + "  p95 "
            + percentile(detect, 95)
            + "  range "
            + range(detect));
    out.println(
        "  restart started median "
            + percentile(restart, 50)
            + "  p95 "
            + percentile(restart, 95)
            + "  range "
            + range(restart));
    out.println(
        "  frames again    median "
            + percentile(restore, 50)
            + "  p95 "
            + percentile(restore, 95)
            + "  (a new pipeline streams every camera)");
    out.println(
        "  time-to-recover median "
            + percentile(recover, 50)
            + "  p95 "
            + percentile(recover, 95)
            + "  (incident closed, phase Healthy)");
    return allPassed;
  }

  /** The spread: fastest to slowest run. */
  static String range(List<Duration> values) {
    if (values.isEmpty()) {
      return "n/a";
    }
    return Scenarios.seconds(values.stream().min(Comparator.naturalOrder()).orElseThrow())
        + " – "
        + Scenarios.seconds(values.stream().max(Comparator.naturalOrder()).orElseThrow());
  }

  /** Nearest-rank percentile. */
  static String percentile(List<Duration> values, int percentile) {
    if (values.isEmpty()) {
      return "n/a";
    }
    List<Duration> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
    return Scenarios.seconds(sorted.get(Math.max(0, rank - 1)));
  }
}
