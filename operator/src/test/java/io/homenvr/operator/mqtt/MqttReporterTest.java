package io.homenvr.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.MqttSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.secrets.SecretValues;
import io.homenvr.testing.MosquittoBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's MQTT against Debian's Mosquitto, read by a real subscriber: the phase, problem and
 * open incident retained under {@code <prefix>/monitor/}, Home Assistant discovery, a broker
 * restarted without persistence getting it all back, a broker down or refusing the login costing
 * the caller nothing.
 */
class MqttReporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MqttReporter.Timings FAST =
      new MqttReporter.Timings(
          Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5));

  @TempDir Path dir;

  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final SecretValues secretValues =
      new SecretValues(null) {
        @Override
        public Optional<String> read(String namespace, SecretKeyRef ref) {
          return Optional.ofNullable(secrets.get(ref.getName() + "/" + ref.getKey()));
        }
      };
  private final MqttReporter reporter = new MqttReporter(secretValues, FAST);
  private MosquittoBroker broker;
  private Subscriber subscriber;

  /** A real MQTT client subscribed to everything; what it saw last per topic, retained or not. */
  private record Seen(String payload, boolean retained) {}

  private static final class Subscriber implements AutoCloseable {
    private final MqttClient client;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    Subscriber(String url) throws MqttException {
      this(url, null, null);
    }

    Subscriber(String url, String username, String password) throws MqttException {
      client = new MqttClient(url, "test-" + System.nanoTime(), new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      if (username != null) {
        options.setUserName(username);
        options.setPassword(password.toCharArray());
      }
      client.connect(options);
      client.subscribe(
          "#",
          1,
          (topic, message) ->
              seen.put(
                  topic,
                  new Seen(
                      new String(message.getPayload(), StandardCharsets.UTF_8),
                      message.isRetained())));
    }

    String payload(String topic) {
      Seen s = seen.get(topic);
      return s == null ? null : s.payload();
    }

    Seen seen(String topic) {
      return seen.get(topic);
    }

    @Override
    public void close() throws MqttException {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    reporter.close();
    if (subscriber != null) {
      subscriber.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private CameraMonitor monitor(String url) {
    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setUid("uid-1");
    MqttSpec mqtt = new MqttSpec();
    mqtt.setUrl(url.replace("tcp://", "mqtt://"));
    mqtt.setTopicPrefix("home/nvr");
    monitor.getSpec().setMqtt(mqtt);
    return monitor;
  }

  private static CameraMonitorStatus healthy() {
    return new CameraMonitorStatus();
  }

  private static CameraMonitorStatus restarting() {
    CameraMonitorStatus status = new CameraMonitorStatus();
    Incident incident = new Incident();
    incident.setId("20260301-120000-g1");
    incident.setOpenedAt("2026-03-01T12:00:00Z");
    incident.setCause(CauseClass.PIPELINE);
    incident.setTierReached(1);
    incident.setRestarts(1);
    incident
        .getProblems()
        .add(
            new Problem(
                "FramesStale", CauseClass.PIPELINE, null, "no camera's frames advance: gate 45s"));
    status.getIncidents().add(incident);
    status.getRecovery().setIncident(incident.getId());
    status.getRecovery().setStage("AwaitingRecovery");
    return status;
  }

  private Subscriber subscribe() throws MqttException {
    if (subscriber != null) {
      subscriber.close();
    }
    subscriber = new Subscriber(broker.url());
    return subscriber;
  }

  private static void eventually(Runnable assertion) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(assertion::run);
  }

  @Test
  void thePhaseIsRetainedChangesWithAnIncidentAndComesWithHomeAssistantDiscovery()
      throws Exception {
    broker = MosquittoBroker.anonymous(dir);
    CameraMonitor monitor = monitor(broker.url());

    reporter.report(monitor, healthy(), Phase.Healthy);

    Subscriber live = subscribe();
    eventually(() -> assertThat(live.payload("home/nvr/monitor/phase")).isEqualTo("Healthy"));
    // a subscriber that comes later still gets it all: retained
    Subscriber late = subscribe();
    eventually(
        () -> {
          assertThat(late.seen("home/nvr/monitor/phase")).isEqualTo(new Seen("Healthy", true));
          assertThat(late.seen("home/nvr/monitor/problem")).isEqualTo(new Seen("OFF", true));
          assertThat(late.seen("home/nvr/monitor/available")).isEqualTo(new Seen("online", true));
          assertThat(late.seen("home/nvr/monitor/incident"))
              .isEqualTo(new Seen("{\"open\":false}", true));
          assertThat(late.seen("homeassistant/sensor/home_nvr__monitor/phase/config")).isNotNull();
        });
    JsonNode problem =
        JSON.readTree(late.payload("homeassistant/binary_sensor/home_nvr__monitor/problem/config"));
    assertThat(problem.path("device_class").asText()).isEqualTo("problem");
    assertThat(problem.path("state_topic").asText()).isEqualTo("home/nvr/monitor/problem");
    assertThat(problem.path("json_attributes_topic").asText())
        .isEqualTo("home/nvr/monitor/incident");
    assertThat(problem.path("availability_topic").asText()).isEqualTo("home/nvr/monitor/available");
    assertThat(problem.path("unique_id").asText()).isEqualTo("home_nvr__monitor_problem");
    assertThat(problem.path("device").path("name").asText()).isEqualTo("homenvr nvr/home");
    JsonNode phase =
        JSON.readTree(late.payload("homeassistant/sensor/home_nvr__monitor/phase/config"));
    assertThat(phase.path("device_class").asText()).isEqualTo("enum");
    assertThat(phase.path("options").toString())
        .contains("Healthy", "Recovering", "NeedsAttention");

    // an incident: the subscriber sees it as it happens
    reporter.report(monitor, restarting(), Phase.Recovering);
    eventually(
        () -> {
          assertThat(late.seen("home/nvr/monitor/phase")).isEqualTo(new Seen("Recovering", false));
          assertThat(late.payload("home/nvr/monitor/problem")).isEqualTo("ON");
        });
    JsonNode incident = JSON.readTree(late.payload("home/nvr/monitor/incident"));
    assertThat(incident.path("open").asBoolean()).isTrue();
    assertThat(incident.path("id").asText()).isEqualTo("20260301-120000-g1");
    assertThat(incident.path("stage").asText()).isEqualTo("AwaitingRecovery");
    assertThat(incident.path("tier").asInt()).isEqualTo(1);
    assertThat(incident.path("problems").asText()).contains("FramesStale", "gate 45s");

    // and it is what is retained now
    Subscriber later = subscribe();
    eventually(
        () ->
            assertThat(later.seen("home/nvr/monitor/phase"))
                .isEqualTo(new Seen("Recovering", true)));
  }

  @Test
  void aBrokerRestartedWithoutPersistenceGetsTheRetainedStateAgain() throws Exception {
    broker = MosquittoBroker.anonymous(dir);
    CameraMonitor monitor = monitor(broker.url());
    reporter.report(monitor, restarting(), Phase.Recovering);
    Subscriber first = subscribe();
    eventually(() -> assertThat(first.payload("home/nvr/monitor/phase")).isEqualTo("Recovering"));

    broker.restart(); // forgets every retained message

    Subscriber live = subscribe();
    eventually(() -> assertThat(live.payload("home/nvr/monitor/phase")).isEqualTo("Recovering"));
    Subscriber after = subscribe();
    eventually(
        () -> {
          assertThat(after.seen("home/nvr/monitor/phase")).isEqualTo(new Seen("Recovering", true));
          assertThat(after.seen("home/nvr/monitor/problem")).isEqualTo(new Seen("ON", true));
          assertThat(after.payload("home/nvr/monitor/incident")).contains("20260301-120000-g1");
          assertThat(after.payload("homeassistant/binary_sensor/home_nvr__monitor/problem/config"))
              .contains("\"device_class\":\"problem\"");
        });
  }

  @Test
  void aHungOrDownBrokerCostsTheCallerNothingAndIsRetried() throws Exception {
    // accepts TCP connections and never says a word: a connect waits for its whole timeout
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CameraMonitor stuck = monitor("mqtt://127.0.0.1:" + hung.getLocalPort());
      stuck.getMetadata().setUid("uid-hung");
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        reporter.report(stuck, healthy(), i % 2 == 0 ? Phase.Healthy : Phase.Degraded);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    broker = MosquittoBroker.notStarted(dir);
    CameraMonitor monitor = monitor(broker.url());
    reporter.report(monitor, healthy(), Phase.Degraded);
    broker.start();
    Subscriber up = subscribe();
    eventually(() -> assertThat(up.payload("home/nvr/monitor/phase")).isEqualTo("Degraded"));
  }

  @Test
  void theLoginComesFromItsSecretAndAFixedSecretIsPickedUpAtTheNextAttempt() throws Exception {
    broker = MosquittoBroker.withPassword(dir, "homenvr", "right-password");
    CameraMonitor monitor = monitor(broker.url());
    monitor.getSpec().getMqtt().setCredentialsSecretRef(credentials());
    secrets.put("mqtt/username", "homenvr");
    secrets.put("mqtt/password", "wrong-password");

    reporter.report(monitor, healthy(), Phase.Healthy);
    secrets.put("mqtt/password", "right-password");

    subscriber = new Subscriber(broker.url(), "homenvr", "right-password");
    eventually(() -> assertThat(subscriber.payload("home/nvr/monitor/phase")).isEqualTo("Healthy"));
  }

  private static CredentialsRef credentials() {
    CredentialsRef ref = new CredentialsRef();
    ref.setName("mqtt");
    return ref;
  }
}
