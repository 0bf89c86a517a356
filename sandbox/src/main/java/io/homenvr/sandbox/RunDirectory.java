package io.homenvr.sandbox;

import io.homenvr.testing.RealCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * One sandbox per run directory. A live one keeps it (a second start says so and exits); what a
 * killed one left behind (its control plane, pipelines and cameras, still running, and their files)
 * is stopped and removed before a new start.
 */
final class RunDirectory {
  private static final String PID_FILE = "sandbox.pid";

  private RunDirectory() {}

  static void claim(Path runDir, PrintStream out) throws IOException {
    Path dir = runDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Path pidFile = dir.resolve(PID_FILE);
    Optional<ProcessHandle> previous =
        Files.exists(pidFile)
            ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
            : Optional.empty();
    if (previous.isPresent()
        && previous.get().isAlive()
        && previous.get().info().commandLine().orElse("").contains("io.homenvr.sandbox")) {
      throw new IllegalStateException(
          "another sandbox (pid "
              + previous.get().pid()
              + ") uses "
              + dir
              + "; stop it, or give this one --run-dir DIR");
    }
    if (Files.exists(pidFile)) {
      long orphans =
          ProcessHandle.allProcesses()
              .filter(p -> p.pid() != ProcessHandle.current().pid())
              .filter(
                  p ->
                      p.info().commandLine().orElse("").contains(dir.toString())
                          || recordedControlPlane(dir, p))
              .peek(ProcessHandle::destroyForcibly)
              .count();
      for (String leftover : new String[] {"control-plane", "pods", "node", "hook", "lib"}) {
        deleteRecursively(dir.resolve(leftover));
      }
      out.println(
          "bin/sandbox: cleaned up after a sandbox that was killed ("
              + orphans
              + " leftover process(es) stopped)");
    }
    Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));
  }

  /** One of the control-plane processes the killed sandbox recorded, still the same program. */
  private static boolean recordedControlPlane(Path dir, ProcessHandle process) {
    Path recorded = dir.resolve("control-plane").resolve(RealCluster.PROCESSES_FILE);
    try {
      return Files.exists(recorded)
          && Files.readAllLines(recorded).stream()
              .map(line -> line.split(" ", 2))
              .anyMatch(
                  fields ->
                      fields.length == 2
                          && fields[0].equals(Long.toString(process.pid()))
                          && process.info().command().orElse("").equals(fields[1]));
    } catch (IOException e) {
      return false;
    }
  }

  /** A sandbox that stopped cleanly leaves nothing to clean up. */
  static void release(Path runDir) {
    try {
      Files.deleteIfExists(runDir.toAbsolutePath().normalize().resolve(PID_FILE));
    } catch (IOException e) {
      // the next start cleans up
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
