package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Server-side printing: kubectl asks for {@code as=Table} and prints the columns the server
 * chooses, so {@code kubectl get cammon} shows Phase, Cameras, Healthy, Restarts only when the
 * server renders the CRD's printer columns (and pods their READY, STATUS, RESTARTS).
 */
final class Tables {
  private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final Map<String, List<Column>> columnsByResource = new HashMap<>();
  private final ObjectMapper json = new ObjectMapper();

  Tables() {
    columnsByResource.put(
        "pods",
        List.of(
            new Column("Ready", "string", 0, Tables::podReady),
            new Column("Status", "string", 0, Tables::podStatus),
            new Column("Restarts", "string", 0, Tables::podRestarts),
            new Column("Age", "string", 0, Tables::age),
            new Column("IP", "string", 1, pod -> text(pod.at("/status/podIP")))));
    columnsByResource.put(
        "deployments",
        List.of(
            new Column(
                "Ready",
                "string",
                0,
                d ->
                    d.at("/status/readyReplicas").asInt(0) + "/" + d.at("/spec/replicas").asInt(1)),
            new Column("Up-to-date", "integer", 0, d -> d.at("/status/updatedReplicas").asInt(0)),
            new Column("Available", "integer", 0, d -> d.at("/status/availableReplicas").asInt(0)),
            new Column("Age", "string", 0, Tables::age)));
    columnsByResource.put(
        "jobs",
        List.of(
            new Column("Status", "string", 0, Tables::jobStatus),
            new Column(
                "Completions",
                "string",
                0,
                j -> j.at("/status/succeeded").asInt(0) + "/" + j.at("/spec/completions").asInt(1)),
            new Column("Age", "string", 0, Tables::age)));
    columnsByResource.put(
        "events",
        List.of(
            new Column("Last Seen", "string", 0, Tables::eventAge),
            new Column("Type", "string", 0, e -> text(e.path("type"))),
            new Column("Reason", "string", 0, e -> text(e.path("reason"))),
            new Column(
                "Object",
                "string",
                0,
                e ->
                    e.at("/involvedObject/kind").asText().toLowerCase()
                        + "/"
                        + e.at("/involvedObject/name").asText()),
            new Column("Message", "string", 0, e -> text(e.path("message")))));
  }

  /** Renders the CRD's additionalPrinterColumns for its plural. */
  void addCustomResource(CustomResourceDefinition crd) {
    List<Column> columns = new ArrayList<>();
    for (CustomResourceColumnDefinition column :
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      String pointer = column.getJsonPath().replace('.', '/');
      boolean date = "date".equals(column.getType());
      columns.add(
          new Column(
              column.getName(),
              date ? "string" : column.getType(),
              column.getPriority() == null ? 0 : column.getPriority(),
              object -> date ? ageOf(object.at(pointer)) : value(object.at(pointer))));
    }
    columnsByResource.put(crd.getSpec().getNames().getPlural(), columns);
  }

  /** The Table for a list or a single object of a resource, if it has columns. */
  Optional<String> table(String resource, String objectOrList) throws Exception {
    List<Column> columns = columnsByResource.get(resource);
    if (columns == null) {
      return Optional.empty();
    }
    JsonNode body = json.readTree(objectOrList);
    ObjectNode table = NODES.objectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", body.at("/metadata/resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name of the object")
        .put("priority", 0);
    for (Column column : columns) {
      definitions
          .addObject()
          .put("name", column.name())
          .put("type", column.type())
          .put("format", "")
          .put("description", column.name())
          .put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> objects = new ArrayList<>();
    if (body.has("items")) {
      body.get("items").forEach(objects::add);
    } else {
      objects.add(body);
    }
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.at("/metadata/name").asText());
      for (Column column : columns) {
        cells.addPOJO(column.cell().apply(object));
      }
      ObjectNode partial =
          row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", object.path("metadata"));
    }
    return Optional.of(json.writeValueAsString(table));
  }

  private static Object value(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    return node.isNumber()
        ? node.numberValue()
        : node.isBoolean() ? node.asBoolean() : node.asText();
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "<none>" : node.asText();
  }

  private static String age(JsonNode object) {
    return ageOf(object.at("/metadata/creationTimestamp"));
  }

  private static String eventAge(JsonNode event) {
    for (String field :
        List.of("/lastTimestamp", "/eventTime", "/firstTimestamp", "/metadata/creationTimestamp")) {
      if (event.at(field).isTextual()) {
        return ageOf(event.at(field));
      }
    }
    return "<unknown>";
  }

  private static String ageOf(JsonNode timestamp) {
    try {
      return human(Duration.between(Instant.parse(timestamp.asText()), Instant.now()));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  /** Like kubectl's HumanDuration: 45s, 3m12s, 2h5m, 4d. */
  static String human(Duration age) {
    long seconds = Math.max(0, age.getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return minutes + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 48) {
      return hours + "h" + (minutes % 60 == 0 ? "" : minutes % 60 + "m");
    }
    return hours / 24 + "d";
  }

  private static String podReady(JsonNode pod) {
    int ready = 0;
    int total = 0;
    for (JsonNode status : pod.at("/status/containerStatuses")) {
      total++;
      ready += status.path("ready").asBoolean() ? 1 : 0;
    }
    return ready + "/" + Math.max(total, pod.at("/spec/containers").size());
  }

  private static String podStatus(JsonNode pod) {
    if (pod.at("/metadata/deletionTimestamp").isTextual()) {
      return "Terminating";
    }
    for (JsonNode status : pod.at("/status/containerStatuses")) {
      String waiting = status.at("/state/waiting/reason").asText("");
      String terminated = status.at("/state/terminated/reason").asText("");
      if (!waiting.isEmpty()) {
        return waiting;
      }
      if (!terminated.isEmpty()) {
        return terminated;
      }
    }
    return pod.at("/status/phase").asText("Pending");
  }

  private static String podRestarts(JsonNode pod) {
    int restarts = 0;
    for (JsonNode status : pod.at("/status/containerStatuses")) {
      restarts += status.path("restartCount").asInt(0);
    }
    return Integer.toString(restarts);
  }

  private static String jobStatus(JsonNode job) {
    for (JsonNode condition : job.at("/status/conditions")) {
      if ("True".equals(condition.path("status").asText())) {
        return condition.path("type").asText();
      }
    }
    return "Running";
  }
}
