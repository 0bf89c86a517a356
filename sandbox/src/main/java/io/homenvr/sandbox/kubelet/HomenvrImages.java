package io.homenvr.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * homenvr's images as local commands: the pipeline image runs its main class in a JVM with the
 * sandbox's class path, the AI-fix image runs {@code aifix/entrypoint.sh} with a stub agent, and
 * any other container with an explicit command runs that command.
 */
public final class HomenvrImages implements ContainerImages {
  public static final String PIPELINE_MAIN = "io.homenvr.pipeline.Main";

  private static final String OPERATOR_MAIN = "io.homenvr.operator.HomenvrOperator";

  /** Repository URLs with this prefix are served from local bare repositories. */
  public static final String SANDBOX_GIT = "https://git.homenvr.sandbox/";

  private final String classpath;
  private final Path repositoryRoot;
  private final Path stubAgent;
  private final Path gitRoot;
  private final Path hostsFile;

  /**
   * @param classpath the class path of the pipeline's and the operator's main classes
   * @param repositoryRoot the homenvr checkout (for aifix/entrypoint.sh)
   * @param stubAgent the agent the AI-fix entrypoint runs instead of claude
   * @param gitRoot where the bare repositories behind {@link #SANDBOX_GIT} live
   * @param hostsFile the cluster DNS an operator container resolves Services with
   */
  public HomenvrImages(
      String classpath, Path repositoryRoot, Path stubAgent, Path gitRoot, Path hostsFile) {
    this.classpath = classpath;
    this.repositoryRoot = repositoryRoot;
    this.stubAgent = stubAgent;
    this.gitRoot = gitRoot;
    this.hostsFile = hostsFile;
  }

  /** A JVM sizes itself from its cgroup's memory limit; here the node tells it the limit. */
  private static void memoryLimit(Container container, List<String> command) {
    var resources = container.getResources();
    if (resources != null
        && resources.getLimits() != null
        && resources.getLimits().get("memory") != null) {
      command.add(
          "-XX:MaxRAM=" + resources.getLimits().get("memory").getNumericalAmount().longValue());
    }
  }

  /** The fault agent's jar, from the class path the sandbox was started with. */
  private Optional<String> faultAgent() {
    return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(entry -> entry.contains("homenvr-fault-agent") && entry.endsWith(".jar"))
        .findFirst();
  }

  @Override
  public Optional<LocalCommand> resolve(Container container, PodDirectory directory) {
    String image = container.getImage() == null ? "" : container.getImage();
    List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
    List<String> command = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (image.contains("homenvr-pipeline")) {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:+UseSerialGC");
      memoryLimit(container, command);
      // the sandbox's in-process faults (deadlock, spin, silent logs, error storms): never in
      // the pipeline's image, only in the processes this node starts
      faultAgent().ifPresent(agent -> command.add("-javaagent:" + agent));
      command.addAll(
          List.of(
              "-Djava.io.tmpdir=" + directory.rewrite("/tmp"), "-cp", classpath, PIPELINE_MAIN));
    } else if (image.contains("homenvr-operator")) {
      // the chart's operator: its ServiceAccount's token (see PodDirectory), the cluster DNS
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:+UseSerialGC");
      memoryLimit(container, command);
      command.addAll(
          List.of(
              "-Djdk.net.hosts.file=" + hostsFile,
              "-Dsun.net.inetaddr.ttl=0",
              "-Dsun.net.inetaddr.negative.ttl=0",
              "-Djava.io.tmpdir=" + directory.rewrite("/tmp"),
              "-cp",
              classpath,
              OPERATOR_MAIN));
      env.put("KUBECONFIG", directory.rewrite(PodDirectory.SERVICE_ACCOUNT_DIR + "/kubeconfig"));
    } else if (image.contains("homenvr-aifix")) {
      command.addAll(List.of("bash", repositoryRoot.resolve("aifix/entrypoint.sh").toString()));
      env.put("AIFIX_AGENT", stubAgent.toString());
      // the stand-in needs no API: no pre-flight; it reads its scripted outcome's file by name
      env.put("AIFIX_API_PREFLIGHT", "off");
      env.put("AIFIX_AGENT_ENV_PASS", "STUB_AGENT_OUTCOME_FILE");
      env.put("AIFIX_TERMINATION_LOG", directory.rewrite(PodDirectory.TERMINATION_LOG));
      envOf(container, "AIFIX_REPO_URL")
          .filter(url -> url.startsWith(SANDBOX_GIT))
          .ifPresent(
              url ->
                  env.put(
                      "AIFIX_REPO_URL",
                      gitRoot.resolve(url.substring(SANDBOX_GIT.length())).toString()));
    } else if (container.getCommand() != null && !container.getCommand().isEmpty()) {
      container.getCommand().forEach(part -> command.add(directory.rewrite(part)));
    } else {
      return Optional.empty();
    }
    args.forEach(arg -> command.add(directory.rewrite(arg)));
    return Optional.of(new LocalCommand(command, env));
  }

  private static Optional<String> envOf(Container container, String name) {
    return container.getEnv().stream()
        .filter(var -> name.equals(var.getName()) && var.getValue() != null)
        .map(EnvVar::getValue)
        .findFirst();
  }
}
