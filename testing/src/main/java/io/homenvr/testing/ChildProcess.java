package io.homenvr.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child process whose output (stdout and stderr merged) is pumped, line by line, to a consumer on
 * a daemon thread; with signals, stdin lines and a stop that escalates from SIGTERM to SIGKILL.
 * Every long-lived process the tests and the sandbox start (cameras, containers, the operator) goes
 * through here; {@link #run} is the same for a command that runs to completion.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Instant startedAt = Instant.now();
  private final Writer stdin;
  private final Thread pump;

  private ChildProcess(Process process, String name, Consumer<String> lines) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.accept(line);
                }
              } catch (IOException e) {
                // the process went away: whoever stopped it knows
              }
            },
            name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts {@code command}.
   *
   * @param env added to this JVM's environment
   * @param workDir the working directory, or null for this JVM's
   * @param name names the output thread
   * @param lines gets every line the process prints
   */
  public static ChildProcess start(
      List<String> command,
      Map<String, String> env,
      Path workDir,
      String name,
      Consumer<String> lines)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    builder.environment().putAll(env);
    return new ChildProcess(builder.start(), name, lines);
  }

  /**
   * Runs a command to completion and returns what it printed.
   *
   * @throws IOException when it cannot start, exits non-zero (its output is in the message) or
   *     outlives the timeout (it is killed)
   */
  public static String run(Duration timeout, Path workDir, List<String> command)
      throws IOException {
    return run(timeout, workDir, command, Map.of());
  }

  /** {@link #run(Duration, Path, List)} with more environment (e.g. a password kept off argv). */
  public static String run(
      Duration timeout, Path workDir, List<String> command, Map<String, String> env)
      throws IOException {
    StringBuilder output = new StringBuilder();
    ChildProcess child =
        start(
            command,
            env,
            workDir,
            "run",
            line -> {
              synchronized (output) {
                output.append(line).append('\n');
              }
            });
    try {
      if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        child.kill();
        throw new IOException(String.join(" ", command) + ": still running after " + timeout);
      }
      child.pump.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.kill();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    String printed;
    synchronized (output) {
      printed = output.toString();
    }
    if (child.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + child.exitCode() + ": " + printed.strip());
    }
    return printed;
  }

  public long pid() {
    return process.pid();
  }

  public Instant startedAt() {
    return startedAt;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The exit code; a process killed by signal N exits with 128 + N. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Completes when the process has ended. */
  public java.util.concurrent.CompletableFuture<Void> exited() {
    return process.onExit().thenApply(ended -> null);
  }

  /** Waits for the process to end; false when it did not within the timeout. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends a signal by name (STOP, CONT, KILL, TERM, …). */
  public void signal(String name) {
    try {
      new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
          .redirectErrorStream(true)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes a line to the process's standard input. */
  public synchronized void writeLine(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /**
   * SIGTERM to the process and its descendants (a stopped process is continued first), SIGKILL
   * after {@code grace}.
   */
  public void stop(Duration grace) {
    if (!alive()) {
      return;
    }
    signal("CONT");
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to the process and its descendants; returns once it is gone (at most 10 s). */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
