package io.homenvr.sandbox.scenario;

import java.time.Duration;

/**
 * A scenario's verdict and its measurements.
 *
 * @param detect from the fault to the incident in status; null when not measured
 * @param restart from the fault to the old pipeline pod's deletion; null when not measured
 * @param restore from the fault to frames flowing again from a new pipeline; null when not measured
 * @param recover from the fault to the incident closed, Healthy (or the scenario's end state)
 */
public record ScenarioResult(
    String name,
    boolean passed,
    String detail,
    Duration detect,
    Duration restart,
    Duration restore,
    Duration recover) {

  static ScenarioResult passed(String name, String detail, Duration detect, Duration recover) {
    return new ScenarioResult(name, true, detail, detect, null, null, recover);
  }

  static ScenarioResult passed(
      String name, String detail, Duration detect, Duration restore, Duration recover) {
    return new ScenarioResult(name, true, detail, detect, null, restore, recover);
  }

  static ScenarioResult passed(
      String name,
      String detail,
      Duration detect,
      Duration restart,
      Duration restore,
      Duration recover) {
    return new ScenarioResult(name, true, detail, detect, restart, restore, recover);
  }

  static ScenarioResult failed(String name, String why, Duration after) {
    return new ScenarioResult(name, false, why, null, null, null, after);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ")
        + name
        + (detect == null ? "" : "  time-to-detect " + Scenarios.seconds(detect))
        + (restart == null ? "" : "  restart-started " + Scenarios.seconds(restart))
        + (restore == null ? "" : "  frames-again " + Scenarios.seconds(restore))
        + (recover == null ? "" : "  time-to-recover " + Scenarios.seconds(recover))
        + "\n  "
        + detail;
  }
}
