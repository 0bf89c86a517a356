package io.homenvr.helm.rbac;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The API calls the operator's code makes directly on its fabric8 client ({@code client.pods()
 * ...delete()}), read from its sources: the paths a recorded run does not reach (the ladder's
 * restarts, AI-fix Jobs, log and metrics reads). Each statement starting at a {@code client} is
 * mapped by the tables below; one the tables do not know is reported, never skipped.
 */
final class OperatorSourceScan {
  /** fabric8 DSL accessor (the last one wins: {@code batch().v1().jobs()}) to group/resource. */
  private static final Map<String, String[]> ACCESSORS =
      Map.ofEntries(
          Map.entry("pods", new String[] {"", "pods"}),
          Map.entry("configMaps", new String[] {"", "configmaps"}),
          Map.entry("secrets", new String[] {"", "secrets"}),
          Map.entry("services", new String[] {"", "services"}),
          Map.entry("persistentVolumeClaims", new String[] {"", "persistentvolumeclaims"}),
          Map.entry("nodes", new String[] {"", "nodes"}),
          Map.entry("events", new String[] {"", "events"}),
          Map.entry("deployments", new String[] {"apps", "deployments"}),
          Map.entry("jobs", new String[] {"batch", "jobs"}),
          Map.entry("leases", new String[] {"coordination.k8s.io", "leases"}));

  /** fabric8 terminal operation to RBAC verbs; a log read is a get on the log subresource. */
  private static final Map<String, List<String>> OPERATIONS =
      Map.ofEntries(
          Map.entry("get", List.of("get")),
          Map.entry("list", List.of("list")),
          Map.entry("watch", List.of("watch")),
          Map.entry("inform", List.of("list", "watch")),
          Map.entry("informOnCondition", List.of("list", "watch")),
          Map.entry("waitUntilCondition", List.of("list", "watch")),
          Map.entry("create", List.of("create")),
          Map.entry("update", List.of("update")),
          Map.entry("replace", List.of("update")),
          Map.entry("patch", List.of("patch")),
          Map.entry("edit", List.of("patch")),
          Map.entry("delete", List.of("delete")),
          Map.entry("createOr", List.of("create", "update")),
          Map.entry("updateStatus", List.of("status:update")),
          Map.entry("patchStatus", List.of("status:patch")),
          Map.entry("editStatus", List.of("status:patch")),
          Map.entry("getLog", List.of("log:get")),
          Map.entry("watchLog", List.of("log:get")),
          Map.entry("metric", List.of("get")),
          Map.entry("metrics", List.of("list")));

  /** Client calls that do not reach the API server. */
  private static final Set<String> LOCAL_CALLS =
      Set.of("getConfiguration", "getKubernetesSerialization", "getNamespace", "close", "adapt");

  /** Kinds of JOSDK dependents, to their group/resource. */
  private static final Map<String, String[]> DEPENDENT_KINDS =
      Map.ofEntries(
          Map.entry("ConfigMap", new String[] {"", "configmaps"}),
          Map.entry("Service", new String[] {"", "services"}),
          Map.entry("PersistentVolumeClaim", new String[] {"", "persistentvolumeclaims"}),
          Map.entry("Secret", new String[] {"", "secrets"}),
          Map.entry("Deployment", new String[] {"apps", "deployments"}),
          Map.entry("Job", new String[] {"batch", "jobs"}));

  /**
   * A CRUD dependent's informer lists and watches; JOSDK creates it, updates it (no server-side
   * apply: HomenvrOperator turns it off) and deletes it when its activation condition turns false.
   */
  private static final List<String> DEPENDENT_VERBS =
      List.of("list", "watch", "create", "update", "delete");

  private static final Pattern DEPENDENT =
      Pattern.compile("extends\\s+\\w*DependentResource<\\s*(\\w+)");

  private static final Pattern CALL = Pattern.compile("\\.\\s*([a-zA-Z]+)\\s*\\(");
  private static final Pattern SUBRESOURCE =
      Pattern.compile("\\.subresource\\(\\s*\"([a-z]+)\"\\s*\\)");
  private static final Pattern CHAIN_START = Pattern.compile("\\bclient\\s*\\.");

  record Result(Set<ApiAccess> accesses, List<String> unknown) {}

  static Result scan(Path sources) {
    Set<ApiAccess> accesses = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = stripComments(Files.readString(file));
        Matcher dependent = DEPENDENT.matcher(code);
        while (dependent.find()) {
          String kind = dependent.group(1);
          if (DEPENDENT_KINDS.containsKey(kind)) {
            String[] resource = DEPENDENT_KINDS.get(kind);
            DEPENDENT_VERBS.forEach(v -> accesses.add(new ApiAccess(resource[0], resource[1], v)));
          } else if (kind.length() > 1) {
            unknown.add(sources.relativize(file) + ": a dependent of kind " + kind);
          }
        }
        Matcher start = CHAIN_START.matcher(code);
        while (start.find()) {
          String statement = statementFrom(code, start.start());
          if (!map(statement, accesses)) {
            unknown.add(sources.relativize(file) + ": " + statement.replaceAll("\\s+", " "));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(accesses, unknown);
  }

  /** Adds what one {@code client...;} statement needs; false when the tables cannot tell. */
  private static boolean map(String statement, Set<ApiAccess> into) {
    List<String> calls = new ArrayList<>();
    Matcher call = CALL.matcher(statement);
    while (call.find()) {
      calls.add(call.group(1));
    }
    if (!calls.isEmpty() && LOCAL_CALLS.contains(calls.get(0))) {
      return true;
    }
    String[] resource =
        statement.contains("resources(CameraMonitor.class)")
            ? new String[] {"homenvr.io", "cameramonitors"}
            : null;
    List<String> verbs = new ArrayList<>();
    boolean top = calls.contains("top");
    for (String name : calls) {
      if (ACCESSORS.containsKey(name)) {
        resource = ACCESSORS.get(name);
      } else if (OPERATIONS.containsKey(name)) {
        verbs.addAll(OPERATIONS.get(name));
      }
    }
    if (resource == null || verbs.isEmpty()) {
      return false;
    }
    String group = top ? "metrics.k8s.io" : resource[0];
    Matcher subresource = SUBRESOURCE.matcher(statement);
    if (subresource.find()) {
      resource = new String[] {resource[0], resource[1] + "/" + subresource.group(1)};
    }
    for (String verb : verbs) {
      String[] sub = verb.split(":");
      into.add(
          sub.length == 2
              ? new ApiAccess(group, resource[1] + "/" + sub[0], sub[1])
              : new ApiAccess(group, resource[1], verb));
    }
    return true;
  }

  /** From {@code from} to the {@code ;} that ends the statement (parentheses balanced). */
  private static String statementFrom(String code, int from) {
    int depth = 0;
    for (int i = from; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '(' || c == '{') {
        depth++;
      } else if (c == ')' || c == '}') {
        depth--;
        if (depth < 0) {
          return code.substring(from, i);
        }
      } else if (c == ';' && depth == 0) {
        return code.substring(from, i);
      }
    }
    return code.substring(from);
  }

  private static String stripComments(String code) {
    return code.replaceAll("(?s)/\\*.*?\\*/", " ")
        .replaceAll("//[^\\n]*", " ")
        .replaceAll("(?m)^\\s*(import|package)\\s[^;]*;", " ");
  }
}
