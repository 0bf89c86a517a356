package io.homenvr.sandbox.scale;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One point of the curve.
 *
 * @param readySeconds from the operator's start until every CameraMonitor was Healthy and checked
 * @param windowSeconds how long the window was
 * @param rssMedianMib median of the operator's VmRSS, sampled every 2 s in the window
 * @param operatorCores the operator's CPU in the window, in cores (1.0 = one core busy)
 * @param apiServerCores kube-apiserver's CPU meanwhile
 * @param machineCores every process on the machine meanwhile (other sessions share it)
 * @param requestsPerSecond API requests the operator made (its ServiceAccount, in the audit log)
 * @param requestsByKind each "verb resource" and how many in the window
 * @param checks the full checks (pod log reads at the stand-in kubelet)
 * @param heartbeats the {@code /status} GETs (probes every 2 s and the full checks' own)
 */
record ScalePoint(
    int monitors,
    double readySeconds,
    double windowSeconds,
    double rssMedianMib,
    double rssMaxMib,
    int threads,
    double operatorCores,
    double apiServerCores,
    double machineCores,
    double requestsPerSecond,
    Map<String, Integer> requestsByKind,
    Gaps checks,
    Gaps heartbeats,
    int checkIntervalSeconds,
    String load) {

  /** By design a full check comes at the first probe 9 s or more after the last: 9–11 s apart. */
  double lateAfterSeconds() {
    return checkIntervalSeconds + 2;
  }

  static final String HEADER =
      "| CameraMonitors | Healthy + checked after | RSS MiB median (max) | threads | operator CPU"
          + " | API requests/s | per CameraMonitor per check | full checks/s | gap between full"
          + " checks median / p99 / max | CameraMonitors with a gap > 12 s | /status gap median /"
          + " max | kube-apiserver CPU | machine busy (2 cores) | load before → after |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

  String row() {
    double checksPerSecond = checks.events() / windowSeconds;
    return String.format(
        Locale.ROOT,
        "| %d | %.0f s | %.0f (%.0f) | %d | %.1f %% | %.1f | %.2f | %.1f | %.1f / %.1f / %.1f s |"
            + " %d | %.1f / %.1f s | %.0f %% | %.2f cores | %s |",
        monitors,
        readySeconds,
        rssMedianMib,
        rssMaxMib,
        threads,
        operatorCores * 100,
        requestsPerSecond,
        checks.events() == 0 ? Double.NaN : requestsPerSecond / checksPerSecond,
        checksPerSecond,
        checks.median(),
        checks.p99(),
        checks.max(),
        checks.monitorsOver(lateAfterSeconds()),
        heartbeats.median(),
        heartbeats.max(),
        apiServerCores * 100,
        machineCores,
        load);
  }

  /** The requests by kind: per second, and per full check. */
  String requests() {
    StringBuilder table =
        new StringBuilder(
            "| %d CameraMonitors: request | in %.0f s | per s | per full check |\n|---|---|---|---|\n"
                .formatted(monitors, windowSeconds));
    requestsByKind.forEach(
        (kind, count) ->
            table.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f |%n",
                    kind,
                    count,
                    count / windowSeconds,
                    checks.events() == 0 ? Double.NaN : (double) count / checks.events())));
    return table.toString();
  }

  static String table(List<ScalePoint> points) {
    StringBuilder md = new StringBuilder(HEADER).append('\n');
    points.forEach(p -> md.append(p.row()).append('\n'));
    points.forEach(p -> md.append('\n').append(p.requests()));
    return md.toString();
  }
}
