package io.homenvr.sandbox.kubelet;

import io.homenvr.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** One container as a local process: its output, its CPU and memory, and signals to it. */
public final class ContainerProcess {
  // Linux's USER_HZ: /proc reports CPU time in these ticks
  private static final long TICKS_PER_SECOND = 100;
  private static final Duration CPU_WINDOW = Duration.ofSeconds(5);

  private record CpuSample(Instant time, long ticks) {}

  private final ChildProcess process;
  private final Deque<CpuSample> cpuSamples = new ArrayDeque<>();

  private ContainerProcess(ChildProcess process) {
    this.process = process;
  }

  static ContainerProcess start(
      List<String> command, Map<String, String> env, Path workDir, LogBuffer log)
      throws IOException {
    return new ContainerProcess(
        ChildProcess.start(command, env, workDir, "container", log::append));
  }

  public long pid() {
    return process.pid();
  }

  public Instant startedAt() {
    return process.startedAt();
  }

  public boolean alive() {
    return process.alive();
  }

  /** The exit code; a process killed by signal N exits with 128 + N, as in a container. */
  public int exitCode() {
    return process.exitCode();
  }

  /** Sends a signal by name (STOP, CONT, KILL, TERM…) to the process. */
  public void signal(String name) {
    process.signal(name);
  }

  /** SIGTERM, then SIGKILL after the grace period; a stopped process is continued first. */
  void stop(Duration grace) {
    process.stop(grace);
  }

  /** Records the process's CPU time now; call about once a second. */
  synchronized void sampleCpu() {
    long ticks = cpuTicks();
    if (ticks < 0) {
      return;
    }
    Instant now = Instant.now();
    cpuSamples.addLast(new CpuSample(now, ticks));
    while (cpuSamples.size() > 2
        && Duration.between(cpuSamples.peekFirst().time(), now).compareTo(CPU_WINDOW) > 0) {
      cpuSamples.removeFirst();
    }
  }

  /** CPU use over the last few seconds in nanocores (1e9 = one core busy), as metrics-server. */
  synchronized long cpuNanocores() {
    if (cpuSamples.size() < 2) {
      return 0;
    }
    CpuSample first = cpuSamples.peekFirst();
    CpuSample last = cpuSamples.peekLast();
    long nanos = Duration.between(first.time(), last.time()).toNanos();
    if (nanos <= 0) {
      return 0;
    }
    double cpuSeconds = (last.ticks() - first.ticks()) / (double) TICKS_PER_SECOND;
    return (long) (cpuSeconds * 1e9 * 1e9 / nanos);
  }

  /** Resident memory in bytes, from /proc. */
  long memoryBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private long cpuTicks() {
    return cpuTicks(pid());
  }

  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name, which is in parentheses and may contain spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
