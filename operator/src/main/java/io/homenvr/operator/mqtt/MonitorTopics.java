package io.homenvr.operator.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.api.v1alpha1.status.Phase;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operator's topics for one CameraMonitor, beside the pipeline's under the same prefix ({@code
 * <prefix>/available}, {@code <prefix>/<camera>/...}): {@code <prefix>/monitor/phase}, {@code
 * <prefix>/monitor/problem} ({@code ON}/{@code OFF}), {@code <prefix>/monitor/incident} (JSON) and
 * {@code <prefix>/monitor/available} (the operator's connection, with a last will).
 */
record MonitorTopics(String prefix) {
  private static final ObjectMapper JSON = new ObjectMapper();

  String availability() {
    return prefix + "/monitor/available";
  }

  String phase() {
    return prefix + "/monitor/phase";
  }

  String problem() {
    return prefix + "/monitor/problem";
  }

  String incident() {
    return prefix + "/monitor/incident";
  }

  /**
   * Home Assistant's device id for the CameraMonitor. The pipeline's cameras are {@code
   * <prefix>_<camera>}; a camera name never starts with '_', so {@code <prefix>__monitor} is never
   * one of them.
   */
  String nodeId() {
    String label = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return label.replaceAll("^_+|_+$", "") + "__monitor";
  }

  /**
   * Discovery configs, topic to JSON: a "problem" binary sensor whose attributes are the open
   * incident, and the phase as an enum sensor, on one device named after the CameraMonitor.
   */
  Map<String, byte[]> discovery(String discoveryPrefix, String namespace, String name) {
    String node = nodeId();
    Map<String, byte[]> configs = new LinkedHashMap<>();
    ObjectNode problem = entity(node, "problem", "Problem", namespace, name);
    problem.put("state_topic", problem());
    problem.put("device_class", "problem");
    problem.put("payload_on", "ON").put("payload_off", "OFF");
    problem.put("json_attributes_topic", incident());
    configs.put(discoveryPrefix + "/binary_sensor/" + node + "/problem/config", bytes(problem));

    ObjectNode phase = entity(node, "phase", "Phase", namespace, name);
    phase.put("state_topic", phase());
    phase.put("device_class", "enum");
    ArrayNode options = phase.putArray("options");
    for (Phase value : Phase.values()) {
      options.add(value.name());
    }
    configs.put(discoveryPrefix + "/sensor/" + node + "/phase/config", bytes(phase));
    return configs;
  }

  private ObjectNode entity(
      String node, String object, String title, String namespace, String name) {
    ObjectNode entity = JSON.createObjectNode();
    entity.put("name", title);
    entity.put("unique_id", node + "_" + object);
    entity.put("availability_topic", availability());
    entity.put("payload_available", "online").put("payload_not_available", "offline");
    ObjectNode device = entity.putObject("device");
    device.putArray("identifiers").add(node);
    device.put("name", "homenvr " + namespace + "/" + name);
    device.put("manufacturer", "homenvr").put("model", "CameraMonitor");
    return entity;
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("MQTT JSON", e);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
