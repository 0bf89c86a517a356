package io.homenvr.sandbox.scenario;

import java.time.Duration;

/**
 * A scenario's verdict and its two measurements.
 *
 * @param detect from the fault to the incident in status; null when not measured
 * @param recover from the fault to healthy again (or to the scenario's end state)
 */
public record ScenarioResult(
    String name, boolean passed, String detail, Duration detect, Duration recover) {

  static ScenarioResult passed(String name, String detail, Duration detect, Duration recover) {
    return new ScenarioResult(name, true, detail, detect, recover);
  }

  static ScenarioResult failed(String name, String why, Duration after) {
    return new ScenarioResult(name, false, why, null, after);
  }

  @Override
  public String toString() {
    return (passed ? "PASS " : "FAIL ")
        + name
        + (detect == null ? "" : "  time-to-detect " + Scenarios.seconds(detect))
        + (recover == null ? "" : "  time-to-recover " + Scenarios.seconds(recover))
        + "\n  "
        + detail;
  }
}
