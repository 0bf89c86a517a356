package io.homenvr.sandbox.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a process has used so far, from {@code /proc}: CPU time (utime + stime), resident memory
 * (VmRSS) and threads.
 *
 * @param cpuSeconds user + system CPU seconds since the process started
 * @param rssMib VmRSS in MiB
 * @param threads live threads
 */
record ProcessUsage(double cpuSeconds, double rssMib, int threads) {
  /** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux, always). */
  private static final double TICKS_PER_SECOND = 100.0;

  static ProcessUsage of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command in parentheses may hold spaces: fields count from after its ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
      double rss = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("\\D", ""));
        }
      }
      return new ProcessUsage(cpu, rss, threads);
    } catch (IOException e) {
      throw new UncheckedIOException("process " + pid + " is gone", e);
    }
  }

  /** Busy CPU seconds of the whole machine so far (all cores; /proc/stat's first line). */
  static double machineBusySeconds() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // user nice system idle iowait irq softirq steal: all but idle and iowait
      for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(cpu[field]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
