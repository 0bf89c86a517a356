package io.homenvr.pipeline.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.pipeline.alert.DecidedBy;
import io.homenvr.pipeline.capture.CameraState;
import io.homenvr.pipeline.config.PipelineConfig.MqttConfig;
import io.homenvr.pipeline.testing.MqttRecorder;
import io.homenvr.pipeline.testing.MqttRecorder.Received;
import io.homenvr.pipeline.vision.VisionVerdict;
import io.homenvr.testing.MosquittoBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against Debian's Mosquitto, checked by a real subscriber. */
class MqttPublisherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final MqttPublisher.Timings FAST =
      new MqttPublisher.Timings(
          Duration.ofMillis(50),
          Duration.ofMillis(700),
          Duration.ofMillis(100),
          Duration.ofMillis(500),
          Duration.ofSeconds(5));
  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, 1, 2, 3, (byte) 0xff, (byte) 0xd9};

  @TempDir Path dir;

  private final AtomicReference<CameraReport> gate =
      new AtomicReference<>(new CameraReport("gate", CameraState.STREAMING, 5.04, true));
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private MqttPublisher publisher(String url, String user, String password) {
    MqttConfig config =
        new MqttConfig(
            url,
            Optional.ofNullable(user),
            Optional.ofNullable(password),
            "home/nvr",
            Optional.empty(),
            true,
            "homeassistant");
    MqttPublisher publisher =
        new MqttPublisher(
            config, List.of("gate"), () -> List.of(gate.get()), FAST, Clock.systemUTC());
    closeLater(publisher);
    publisher.start();
    return publisher;
  }

  @Test
  void publishesRetainedStateDiscoveryMotionAndDetections() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.anonymous(dir));
    MqttPublisher publisher = publisher(broker.url(), null, null);
    await().atMost(WAIT).until(() -> publisher.status().connected());
    // subscribed after the publisher: what it gets on subscribing is what the broker retained
    MqttRecorder late = closeLater(new MqttRecorder(broker.url()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertRetained(late, "home/nvr/available", "online");
              assertRetained(late, "home/nvr/gate/state", "streaming");
              assertRetained(late, "home/nvr/gate/fps", "5.0");
              assertRetained(late, "home/nvr/gate/recordings/state", "ON");
            });
    JsonNode camera = json(late, "homeassistant/camera/home_nvr_gate/snapshot/config");
    assertThat(camera.path("topic").asText()).isEqualTo("home/nvr/gate/snapshot");
    assertThat(camera.path("availability_topic").asText()).isEqualTo("home/nvr/available");
    assertThat(camera.path("unique_id").asText()).isEqualTo("home_nvr_gate_snapshot");
    JsonNode motion = json(late, "homeassistant/binary_sensor/home_nvr_gate/motion/config");
    assertThat(motion.path("state_topic").asText()).isEqualTo("home/nvr/gate/motion");
    assertThat(motion.path("device_class").asText()).isEqualTo("motion");
    JsonNode person = json(late, "homeassistant/binary_sensor/home_nvr_gate/person/config");
    assertThat(person.path("state_topic").asText()).isEqualTo("home/nvr/gate/person");
    assertThat(
            json(late, "homeassistant/sensor/home_nvr_gate/fps/config")
                .path("state_topic")
                .asText())
        .isEqualTo("home/nvr/gate/fps");
    assertThat(
            json(late, "homeassistant/sensor/home_nvr_gate/state/config")
                .path("state_topic")
                .asText())
        .isEqualTo("home/nvr/gate/state");

    gate.set(new CameraReport("gate", CameraState.BACKOFF, 0, false));
    await().atMost(WAIT).until(() -> "down".equals(late.text("home/nvr/gate/state")));
    assertThat(late.text("home/nvr/gate/recordings/state")).isEqualTo("OFF");

    publisher.motion("gate");
    await().atMost(WAIT).until(() -> "ON".equals(late.text("home/nvr/gate/motion")));
    Instant at = Instant.parse("2026-02-21T10:15:30Z");
    publisher.detected(
        "gate",
        at,
        new VisionVerdict(
            List.of("person", "Person", "car"), true, "two people and a car", DecidedBy.VISION_LLM),
        JPEG);
    await().atMost(WAIT).until(() -> late.latest("home/nvr/gate/snapshot") != null);
    assertThat(late.latest("home/nvr/gate/snapshot").payload()).isEqualTo(JPEG);
    assertThat(late.text("home/nvr/gate/person")).isEqualTo("2");
    assertThat(late.text("home/nvr/gate/car")).isEqualTo("1");
    await().atMost(WAIT).until(() -> !late.on("home/nvr/events").isEmpty());
    Received event = late.on("home/nvr/events").get(0);
    assertThat(event.retained()).as("events are not state: never retained").isFalse();
    JsonNode verified = JSON.readTree(event.payload());
    assertThat(verified.path("camera").asText()).isEqualTo("gate");
    assertThat(verified.path("at").asText()).isEqualTo("2026-02-21T10:15:30Z");
    assertThat(verified.path("objects").toString()).isEqualTo("[\"car\",\"person\"]");
    assertThat(verified.path("verdict").asText()).isEqualTo("verified");
    assertThat(verified.path("alert").asBoolean()).isTrue();
    assertThat(verified.path("snapshotTopic").asText()).isEqualTo("home/nvr/gate/snapshot");

    publisher.detected(
        "gate",
        at,
        new VisionVerdict(List.of("person"), true, "person", DecidedBy.LOCAL_DETECTOR_LLM_DOWN),
        JPEG);
    await().atMost(WAIT).until(() -> late.on("home/nvr/events").size() == 2);
    assertThat(JSON.readTree(late.on("home/nvr/events").get(1).payload()).path("verdict").asText())
        .isEqualTo("unverified");

    // quiet for motionOff: motion OFF and every object counted back to 0
    await().atMost(WAIT).until(() -> "OFF".equals(late.text("home/nvr/gate/motion")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(late.text("home/nvr/gate/person")).isEqualTo("0");
              assertThat(late.text("home/nvr/gate/car")).isEqualTo("0");
            });
  }

  @Test
  void aRestartedBrokerGetsTheRetainedStateBackAndQueuedEventsAreSent() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.anonymous(dir));
    MqttPublisher publisher = publisher(broker.url(), null, null);
    publisher.detected(
        "gate",
        Instant.now(),
        new VisionVerdict(List.of("person"), true, "person", DecidedBy.VISION_LLM),
        JPEG);
    await().atMost(WAIT).until(() -> publisher.status().publishedTotal() > 0);
    await().atMost(WAIT).until(() -> publisher.status().pendingEvents() == 0);

    broker.stop(); // no persistence: every retained message is gone with it
    await().atMost(WAIT).until(() -> !publisher.status().connected());
    assertThat(publisher.status().lastError()).startsWith("connection lost");
    gate.set(new CameraReport("gate", CameraState.CONNECTING, 0, false));
    publisher.detected(
        "gate",
        Instant.now(),
        new VisionVerdict(List.of("dog"), false, "a dog", DecidedBy.VISION_LLM),
        JPEG);
    await().atMost(WAIT).until(() -> publisher.status().pendingEvents() == 1);
    long reconnects = publisher.status().reconnects();
    await().atMost(WAIT).until(() -> publisher.status().reconnects() > reconnects);

    broker.start();
    await().atMost(WAIT).until(() -> publisher.status().connected());
    await().atMost(WAIT).until(() -> publisher.status().pendingEvents() == 0);
    MqttRecorder after = closeLater(new MqttRecorder(broker.url()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertRetained(after, "home/nvr/available", "online");
              assertRetained(after, "home/nvr/gate/state", "connecting");
              // counted back to 0 once quiet, and that is what is re-published
              assertRetained(after, "home/nvr/gate/person", "0");
              assertRetained(after, "home/nvr/gate/dog", "0");
              assertThat(after.latest("home/nvr/gate/snapshot").payload()).isEqualTo(JPEG);
              assertThat(after.latest("home/nvr/gate/snapshot").retained()).isTrue();
              assertThat(after.latest("homeassistant/sensor/home_nvr_gate/state/config"))
                  .isNotNull();
            });
  }

  @Test
  void refusedCredentialsAreReportedAndRetriedWithoutBlockingAnyone() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.withPassword(dir, "nvr", "right-one"));
    MqttPublisher refused = publisher(broker.url(), "nvr", "wrong-one");
    await().atMost(WAIT).until(() -> refused.status().reconnects() >= 2);
    MqttStatus status = refused.status();
    assertThat(status.connected()).isFalse();
    assertThat(status.lastError()).contains("the broker refused the credentials");
    assertThat(status.toString()).doesNotContain("wrong-one");
    refused.motion("gate"); // queued on the publisher's own thread: never blocks the caller

    MqttPublisher accepted = publisher(broker.url(), "nvr", "right-one");
    await().atMost(WAIT).until(() -> accepted.status().connected());
    MqttRecorder recorder = closeLater(new MqttRecorder(broker.url(), "nvr", "right-one"));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertRetained(recorder, "home/nvr/available", "online"));
  }

  @Test
  void aBrokerThatIsDownAtStartIsConnectedOnceItIsUp() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.notStarted(dir));
    MqttPublisher publisher = publisher(broker.url(), null, null);
    await().atMost(WAIT).until(() -> publisher.status().reconnects() >= 2);
    assertThat(publisher.status().connected()).isFalse();
    assertThat(publisher.status().lastError()).isNotBlank();
    broker.start();
    await().atMost(WAIT).until(() -> publisher.status().connected());
    MqttRecorder recorder = closeLater(new MqttRecorder(broker.url()));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertRetained(recorder, "home/nvr/gate/state", "streaming"));
  }

  @Test
  void aCleanCloseSaysOfflineItself() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.anonymous(dir));
    MqttRecorder recorder = closeLater(new MqttRecorder(broker.url()));
    MqttPublisher publisher = publisher(broker.url(), null, null);
    await().atMost(WAIT).until(() -> "online".equals(recorder.text("home/nvr/available")));
    publisher.close();
    await().atMost(WAIT).until(() -> "offline".equals(recorder.text("home/nvr/available")));
  }

  private static void assertRetained(MqttRecorder recorder, String topic, String text) {
    Received r = recorder.latest(topic);
    assertThat(r).as(topic).isNotNull();
    assertThat(r.text()).as(topic).isEqualTo(text);
    assertThat(r.retained()).as(topic + " retained").isTrue();
  }

  private static JsonNode json(MqttRecorder recorder, String topic) throws Exception {
    await().atMost(WAIT).until(() -> recorder.latest(topic) != null);
    Received r = recorder.latest(topic);
    assertThat(r.retained()).as(topic + " retained").isTrue();
    return JSON.readTree(r.payload());
  }
}
