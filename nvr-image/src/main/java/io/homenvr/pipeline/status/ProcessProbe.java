package io.homenvr.pipeline.status;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/** CPU time, thread count, deadlocks and a full thread dump from the JVM's management beans. */
public final class ProcessProbe {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public ProcessStatus status() {
    long[] deadlocked = threads.findDeadlockedThreads();
    List<String> names =
        deadlocked == null
            ? List.of()
            : Arrays.stream(threads.getThreadInfo(deadlocked))
                .filter(info -> info != null)
                .map(ThreadInfo::getThreadName)
                .sorted()
                .toList();
    return new ProcessStatus(os.getProcessCpuTime() / 1e9, threads.getThreadCount(), names);
  }

  /** Every thread with its whole stack and locks (ThreadInfo.toString cuts stacks at 8 frames). */
  public String threadDump() {
    StringBuilder out = new StringBuilder();
    long[] deadlocked = threads.findDeadlockedThreads();
    if (deadlocked != null) {
      out.append("DEADLOCKED thread ids: ").append(Arrays.toString(deadlocked)).append("\n\n");
    }
    for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
      out.append('"')
          .append(info.getThreadName())
          .append("\" id=")
          .append(info.getThreadId())
          .append(' ')
          .append(info.getThreadState());
      if (info.getLockName() != null) {
        out.append(" on ").append(info.getLockName());
      }
      if (info.getLockOwnerName() != null) {
        out.append(" owned by \"")
            .append(info.getLockOwnerName())
            .append("\" id=")
            .append(info.getLockOwnerId());
      }
      out.append('\n');
      StackTraceElement[] stack = info.getStackTrace();
      for (int depth = 0; depth < stack.length; depth++) {
        out.append("\tat ").append(stack[depth]).append('\n');
        for (MonitorInfo monitor : info.getLockedMonitors()) {
          if (monitor.getLockedStackDepth() == depth) {
            out.append("\t- locked ").append(monitor).append('\n');
          }
        }
      }
      for (LockInfo lock : info.getLockedSynchronizers()) {
        out.append("\t- holds ").append(lock).append('\n');
      }
      out.append('\n');
    }
    return out.toString();
  }
}
