package io.homenvr.operator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The operator's settings, read once at start from environment variables, each overridable by a
 * {@code --flag=value} argument. Immutable after that.
 *
 * @param watchNamespaces namespaces whose CameraMonitors are reconciled; empty means all
 * @param leaderElection whether replicas elect one leader through a Lease
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease; empty means the client's namespace
 * @param identity this replica's name in the Lease
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param bindAddress the address they listen on; empty means every address
 * @param pipelineImage image used when a CameraMonitor names none
 * @param aiFixImage AI-fix Job image used when a CameraMonitor names none
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    String identity,
    int httpPort,
    String bindAddress,
    String pipelineImage,
    String aiFixImage) {

  /** One setting: its environment variable, its flag, its default and what it means. */
  public record Option(String env, String flag, String defaultValue, String description) {}

  public static final Option WATCH_NAMESPACES =
      new Option(
          "HOMENVR_WATCH_NAMESPACES",
          "watch-namespaces",
          "",
          "Comma-separated namespaces to watch; empty watches all namespaces");
  public static final Option LEADER_ELECTION =
      new Option(
          "HOMENVR_LEADER_ELECTION",
          "leader-election",
          "true",
          "Elect one active replica through a coordination.k8s.io Lease (true/false)");
  public static final Option LEASE_NAME =
      new Option("HOMENVR_LEASE_NAME", "lease-name", "homenvr-operator", "Name of the Lease");
  public static final Option LEASE_NAMESPACE =
      new Option(
          "HOMENVR_LEASE_NAMESPACE",
          "lease-namespace",
          "",
          "Namespace of the Lease; empty uses the operator's own namespace");
  public static final Option IDENTITY =
      new Option(
          "POD_NAME", "identity", "", "This replica's identity in the Lease; empty uses the host");
  public static final Option HTTP_PORT =
      new Option(
          "HOMENVR_HTTP_PORT", "http-port", "8080", "Port of /healthz, /readyz and /metrics");
  public static final Option BIND_ADDRESS =
      new Option(
          "HOMENVR_BIND_ADDRESS",
          "bind-address",
          "",
          "Address /healthz, /readyz and /metrics listen on; empty listens on every address");
  public static final Option PIPELINE_IMAGE =
      new Option(
          "HOMENVR_PIPELINE_IMAGE",
          "pipeline-image",
          defaultImage("homenvr-pipeline"),
          "Pipeline image for CameraMonitors that set no spec.pipeline.image");
  public static final Option AIFIX_IMAGE =
      new Option(
          "HOMENVR_AIFIX_IMAGE",
          "aifix-image",
          defaultImage("homenvr-aifix"),
          "AI-fix Job image for CameraMonitors that set no spec.escalation.aiFix.image");

  public static final List<Option> OPTIONS =
      List.of(
          WATCH_NAMESPACES,
          LEADER_ELECTION,
          LEASE_NAME,
          LEASE_NAMESPACE,
          IDENTITY,
          HTTP_PORT,
          BIND_ADDRESS,
          PIPELINE_IMAGE,
          AIFIX_IMAGE);

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  /**
   * Reads every option: a flag wins over the environment, the environment over the default.
   *
   * @throws IllegalArgumentException naming the option when a value cannot be used
   */
  public static OperatorConfig from(Map<String, String> env, String[] args) {
    Map<String, String> flags = parseFlags(args);
    Function<Option, String> value =
        option ->
            Optional.ofNullable(flags.get(option.flag()))
                .or(() -> Optional.ofNullable(env.get(option.env())))
                .orElse(option.defaultValue())
                .trim();
    Set<String> namespaces = new TreeSet<>();
    Arrays.stream(value.apply(WATCH_NAMESPACES).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(namespaces::add);
    String identity = value.apply(IDENTITY);
    return new OperatorConfig(
        namespaces,
        parseBoolean(LEADER_ELECTION, value.apply(LEADER_ELECTION)),
        value.apply(LEASE_NAME),
        Optional.of(value.apply(LEASE_NAMESPACE)).filter(s -> !s.isEmpty()),
        identity.isEmpty() ? hostName(env) : identity,
        parsePort(value.apply(HTTP_PORT)),
        value.apply(BIND_ADDRESS),
        value.apply(PIPELINE_IMAGE),
        value.apply(AIFIX_IMAGE));
  }

  /** The options as {@code --help} prints them. */
  public static String usage() {
    StringBuilder text = new StringBuilder("Options (flag, environment variable, default):\n");
    for (Option option : OPTIONS) {
      text.append(
          "  --%s=… (%s, default '%s')%n      %s%n"
              .formatted(option.flag(), option.env(), option.defaultValue(), option.description()));
    }
    return text.toString();
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  /** The version this operator was built as, filtered into a resource by Maven. */
  public static String projectVersion() {
    Properties properties = new Properties();
    try (InputStream in =
        OperatorConfig.class.getResourceAsStream("/io/homenvr/operator/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the operator jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  /**
   * The version images are tagged with: the project version without {@code -SNAPSHOT}, as the
   * chart's appVersion (a development build runs the images of the release it leads to).
   */
  public static String releaseVersion() {
    return projectVersion().replace("-SNAPSHOT", "");
  }

  /** {@code name:<release version>}, the tag the chart and the image builds use. */
  public static String defaultImage(String name) {
    return name + ":" + releaseVersion();
  }

  private static Map<String, String> parseFlags(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException(
            "unexpected argument '" + arg + "': flags look like --name=value\n" + usage());
      }
      String name = arg.substring(2, arg.indexOf('='));
      if (OPTIONS.stream().noneMatch(o -> o.flag().equals(name))) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + usage());
      }
      flags.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    return flags;
  }

  private static boolean parseBoolean(Option option, String text) {
    return switch (text.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              option.env()
                  + " / --"
                  + option.flag()
                  + " must be true or false, not '"
                  + text
                  + "'");
    };
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException(
        HTTP_PORT.env()
            + " / --"
            + HTTP_PORT.flag()
            + " must be a port number, not '"
            + text
            + "'");
  }

  private static String hostName(Map<String, String> env) {
    return Optional.ofNullable(env.get("HOSTNAME")).orElse("homenvr-operator");
  }
}
