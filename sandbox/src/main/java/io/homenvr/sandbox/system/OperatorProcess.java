package io.homenvr.sandbox.system;

import io.homenvr.testing.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real operator, its production main in a child JVM pointed at the sandbox's kubeconfig, so
 * that "kill and restart the operator" is a real process dying mid-work.
 */
public final class OperatorProcess implements AutoCloseable {
  public static final String MAIN = "io.homenvr.operator.HomenvrOperator";

  private final String classpath;
  private final Path kubeconfig;
  private final Path logFile;
  private final Path hostsFile;
  private final Map<String, String> env;
  private final Consumer<String> printer;
  private final List<String> jvmFlags;
  private ChildProcess process;

  /** The sandbox's JVM: quick to start (C1 only), Serial GC. */
  public static final List<String> SANDBOX_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * @param hostsFile the cluster DNS the operator resolves names with
   * @param env settings for the operator (HOMENVR_* variables) beyond KUBECONFIG
   * @param printer each line the operator logs
   */
  public OperatorProcess(
      String classpath,
      Path kubeconfig,
      Path logFile,
      Path hostsFile,
      Map<String, String> env,
      Consumer<String> printer) {
    this(classpath, kubeconfig, logFile, hostsFile, env, SANDBOX_JVM, printer);
  }

  /**
   * @param jvmFlags the JVM's options before the class path, e.g. {@link #SANDBOX_JVM}
   */
  public OperatorProcess(
      String classpath,
      Path kubeconfig,
      Path logFile,
      Path hostsFile,
      Map<String, String> env,
      List<String> jvmFlags,
      Consumer<String> printer) {
    this.jvmFlags = List.copyOf(jvmFlags);
    this.hostsFile = hostsFile;
    this.classpath = classpath;
    this.kubeconfig = kubeconfig;
    this.logFile = logFile;
    this.env = Map.copyOf(env);
    this.printer = printer;
  }

  public synchronized void start() throws IOException {
    if (running()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            // cluster DNS: Service names resolve through the kubelet's hosts file, uncached
            "-Djdk.net.hosts.file=" + hostsFile,
            "-Dsun.net.inetaddr.ttl=0",
            "-Dsun.net.inetaddr.negative.ttl=0",
            "-cp",
            classpath,
            MAIN));
    Map<String, String> environment = new java.util.LinkedHashMap<>(env);
    environment.put("KUBECONFIG", kubeconfig.toString());
    process =
        ChildProcess.start(
            command,
            environment,
            null,
            "operator",
            line -> {
              try {
                Files.writeString(
                    logFile,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              printer.accept(line);
            });
  }

  /** The JVM's process id; -1 before the first start. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public synchronized boolean running() {
    return process != null && process.alive();
  }

  /** SIGKILL: the operator gets no chance to finish what it was doing. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.stop(java.time.Duration.ofSeconds(10));
    }
  }
}
