package io.homenvr.pipeline.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery: per camera a device with a camera entity (the detection snapshot),
 * binary sensors for motion, person and recording, and sensors for fps and state. Each config is
 * published retained to {@code <discoveryPrefix>/<component>/<node>/<object>/config}.
 */
final class HomeAssistantDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HomeAssistantDiscovery() {}

  /** Topic to config JSON, for every camera. */
  static Map<String, byte[]> configs(
      String discoveryPrefix, MqttTopics topics, List<String> cameras) {
    Map<String, byte[]> configs = new LinkedHashMap<>();
    for (String camera : cameras) {
      String node = nodeId(topics, camera);
      ObjectNode snapshot = entity(topics, camera, node, "snapshot", "Snapshot");
      snapshot.put("topic", topics.snapshot(camera));
      configs.put(topic(discoveryPrefix, "camera", node, "snapshot"), bytes(snapshot));

      ObjectNode motion = entity(topics, camera, node, "motion", "Motion");
      motion.put("state_topic", topics.motion(camera));
      motion.put("device_class", "motion");
      motion.put("payload_on", "ON").put("payload_off", "OFF");
      configs.put(topic(discoveryPrefix, "binary_sensor", node, "motion"), bytes(motion));

      ObjectNode person = entity(topics, camera, node, "person", "Person");
      person.put("state_topic", topics.object(camera, "person"));
      person.put("device_class", "occupancy");
      person.put("value_template", "{{ 'ON' if value | int(0) > 0 else 'OFF' }}");
      person.put("payload_on", "ON").put("payload_off", "OFF");
      configs.put(topic(discoveryPrefix, "binary_sensor", node, "person"), bytes(person));

      ObjectNode recording = entity(topics, camera, node, "recording", "Recording");
      recording.put("state_topic", topics.recording(camera));
      recording.put("payload_on", "ON").put("payload_off", "OFF");
      configs.put(topic(discoveryPrefix, "binary_sensor", node, "recording"), bytes(recording));

      ObjectNode fps = entity(topics, camera, node, "fps", "FPS");
      fps.put("state_topic", topics.fps(camera));
      fps.put("unit_of_measurement", "fps").put("state_class", "measurement");
      configs.put(topic(discoveryPrefix, "sensor", node, "fps"), bytes(fps));

      ObjectNode state = entity(topics, camera, node, "state", "State");
      state.put("state_topic", topics.state(camera));
      state.put("device_class", "enum");
      state.putArray("options").add("streaming").add("connecting").add("down");
      configs.put(topic(discoveryPrefix, "sensor", node, "state"), bytes(state));
    }
    return configs;
  }

  /** Unique per prefix and camera, so two pipelines on one broker never share an entity. */
  static String nodeId(MqttTopics topics, String camera) {
    return MqttTopics.label(topics.prefix()) + "_" + camera.replace('-', '_');
  }

  private static ObjectNode entity(
      MqttTopics topics, String camera, String node, String object, String name) {
    ObjectNode entity = JSON.createObjectNode();
    entity.put("name", name);
    entity.put("unique_id", node + "_" + object);
    entity.put("availability_topic", topics.availability());
    entity.put("payload_available", "online").put("payload_not_available", "offline");
    ObjectNode device = entity.putObject("device");
    device.putArray("identifiers").add(node);
    device.put("name", camera).put("manufacturer", "homenvr").put("model", "camera pipeline");
    return entity;
  }

  private static String topic(String prefix, String component, String node, String object) {
    return prefix + "/" + component + "/" + node + "/" + object + "/config";
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("discovery JSON", e);
    }
  }
}
