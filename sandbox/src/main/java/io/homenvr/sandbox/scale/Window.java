package io.homenvr.sandbox.scale;

import io.homenvr.testing.AuditLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One measuring window: the marks taken at its start, and what they became at its end. */
record Window(
    long startNanos,
    long operatorPid,
    long apiServerPid,
    double operatorCpu,
    double apiServerCpu,
    double machineBusy,
    long auditMark,
    AuditLog audit,
    String loadBefore) {

  static Window start(long operatorPid, long apiServerPid, AuditLog audit) {
    return new Window(
        System.nanoTime(),
        operatorPid,
        apiServerPid,
        ProcessUsage.of(operatorPid).cpuSeconds(),
        apiServerPid < 0 ? 0 : ProcessUsage.of(apiServerPid).cpuSeconds(),
        ProcessUsage.machineBusySeconds(),
        audit.size(),
        audit,
        loadAverage());
  }

  ScalePoint finish(
      int monitors,
      double readySeconds,
      List<ProcessUsage> samples,
      Map<String, List<Long>> logReads,
      Map<String, List<Long>> heartbeats,
      String namespace,
      int checkIntervalSeconds,
      String operatorUser) {
    long endNanos = System.nanoTime();
    double seconds = (endNanos - startNanos) / 1e9;
    double operatorCpuEnd = ProcessUsage.of(operatorPid).cpuSeconds();
    double apiServerCpuEnd = apiServerPid < 0 ? 0 : ProcessUsage.of(apiServerPid).cpuSeconds();
    double machineBusyEnd = ProcessUsage.machineBusySeconds();
    List<AuditLog.Entry> requests =
        audit.entriesBetween(auditMark, audit.size()).stream()
            .filter(e -> e.user().equals(operatorUser))
            .toList();
    Map<String, Integer> byKind = new TreeMap<>();
    for (AuditLog.Entry request : requests) {
      byKind.merge(request.verb() + " " + request.resourceName(), 1, Integer::sum);
    }
    Gaps checks = Gaps.of(logReads, startNanos, endNanos, monitors);
    Map<String, List<Long>> probesByMonitor = new TreeMap<>();
    heartbeats.forEach(
        (host, times) -> probesByMonitor.put(host.replaceFirst("-pipeline\\..*", ""), times));
    Gaps heartbeatGaps = Gaps.of(probesByMonitor, startNanos, endNanos, monitors);
    List<Double> rss = new ArrayList<>(samples.stream().map(ProcessUsage::rssMib).toList());
    Collections.sort(rss);
    return new ScalePoint(
        monitors,
        readySeconds,
        seconds,
        rss.get(rss.size() / 2),
        rss.get(rss.size() - 1),
        samples.stream().mapToInt(ProcessUsage::threads).max().orElse(0),
        (operatorCpuEnd - operatorCpu) / seconds,
        (apiServerCpuEnd - apiServerCpu) / seconds,
        (machineBusyEnd - machineBusy) / seconds,
        requests.size() / seconds,
        byKind,
        checks,
        heartbeatGaps,
        checkIntervalSeconds,
        loadBefore + " → " + loadAverage());
  }

  private static String loadAverage() {
    try {
      String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return load[0] + " " + load[1] + " " + load[2];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
