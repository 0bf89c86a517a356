package io.homenvr.pipeline.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real MQTT client that subscribes to '#' and keeps every message it receives, in order. */
public final class MqttRecorder implements AutoCloseable {
  /** One received message; {@code retained} is the flag as the broker delivered it. */
  public record Received(String topic, byte[] payload, boolean retained) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final MqttClient client;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Received> latest = new ConcurrentHashMap<>();

  public MqttRecorder(String url) throws MqttException {
    this(url, null, null);
  }

  public MqttRecorder(String url, String user, String password) throws MqttException {
    client = new MqttClient(url, "recorder-" + UUID.randomUUID(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    if (user != null) {
      options.setUserName(user);
      options.setPassword(password.toCharArray());
    }
    client.connect(options);
    client.subscribe(
        "#",
        1,
        (topic, message) -> {
          Received r = new Received(topic, message.getPayload(), message.isRetained());
          received.add(r);
          latest.put(topic, r);
        });
  }

  public List<Received> all() {
    return List.copyOf(received);
  }

  /** The last message on the topic, or null. */
  public Received latest(String topic) {
    return latest.get(topic);
  }

  public String text(String topic) {
    Received r = latest.get(topic);
    return r == null ? null : r.text();
  }

  public List<Received> on(String topic) {
    return received.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
