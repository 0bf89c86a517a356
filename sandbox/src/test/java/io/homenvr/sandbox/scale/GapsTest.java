package io.homenvr.sandbox.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GapsTest {
  private static final long S = 1_000_000_000L;

  @Test
  void gapsBetweenChecksAndTheWindowsEdgesCount() {
    Map<String, List<Long>> checks =
        Map.of(
            "cam-001", List.of(-5 * S, 1 * S, 11 * S, 21 * S, 31 * S), // one before the window
            "cam-002", List.of(2 * S, 17 * S, 27 * S)); // 15 s late once
    Gaps gaps = Gaps.of(checks, 0, 30 * S, 3); // cam-003 never checked in the window

    assertThat(gaps.events()).isEqualTo(6);
    assertThat(gaps.median()).isCloseTo(10.0, within(1e-9));
    assertThat(gaps.max()).isCloseTo(30.0, within(1e-9));
    assertThat(gaps.longestPerMonitor()).containsExactly(10.0, 15.0, 30.0);
    assertThat(gaps.monitorsOver(12)).isEqualTo(2);
  }

  @Test
  void podsAreTheirCameraMonitors() {
    assertThat(ScaleBench.monitorOf("cam-007-pipeline-5d8c7f9b4-x2x9q")).isEqualTo("cam-007");
  }
}
