package io.homenvr.sandbox.scale;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How far apart one kind of event came per CameraMonitor within a window (its full checks, or its
 * heartbeat probes). A CameraMonitor's longest gap counts the time from the window's start to its
 * first event and from its last to the window's end too: a lower bound of the real gap, so one that
 * was never reached in the window shows the whole window.
 *
 * @param events the events in the window, all CameraMonitors
 * @param median median of the gaps between consecutive events (seconds)
 * @param p99 99th percentile of them
 * @param max the longest gap of any CameraMonitor, window edges included
 * @param longestPerMonitor each CameraMonitor's longest gap, ascending
 */
record Gaps(int events, double median, double p99, double max, List<Double> longestPerMonitor) {

  static Gaps of(Map<String, List<Long>> byMonitor, long start, long end, int monitors) {
    List<Double> gaps = new ArrayList<>();
    List<Double> longest = new ArrayList<>();
    int events = 0;
    for (List<Long> times : byMonitor.values()) {
      List<Long> inWindow = times.stream().filter(t -> t >= start && t <= end).sorted().toList();
      if (inWindow.isEmpty()) {
        continue;
      }
      events += inWindow.size();
      double worst =
          Math.max(
              seconds(inWindow.get(0) - start), seconds(end - inWindow.get(inWindow.size() - 1)));
      for (int i = 1; i < inWindow.size(); i++) {
        double gap = seconds(inWindow.get(i) - inWindow.get(i - 1));
        gaps.add(gap);
        worst = Math.max(worst, gap);
      }
      longest.add(worst);
    }
    while (longest.size() < monitors) {
      longest.add(seconds(end - start)); // not reached at all in the window
    }
    Collections.sort(gaps);
    Collections.sort(longest);
    return new Gaps(
        events,
        percentile(gaps, 0.5),
        percentile(gaps, 0.99),
        longest.isEmpty() ? Double.NaN : longest.get(longest.size() - 1),
        longest);
  }

  /** CameraMonitors whose longest gap was over {@code seconds}. */
  long monitorsOver(double seconds) {
    return longestPerMonitor.stream().filter(g -> g > seconds).count();
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
