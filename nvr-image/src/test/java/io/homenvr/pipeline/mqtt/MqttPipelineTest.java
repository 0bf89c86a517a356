package io.homenvr.pipeline.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.pipeline.Main;
import io.homenvr.pipeline.testing.MqttRecorder;
import io.homenvr.pipeline.testing.RtspTestServer;
import io.homenvr.pipeline.testing.StandIn;
import io.homenvr.testing.MosquittoBroker;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline in a child JVM, a real RTSP camera and Mosquitto: what Home Assistant would
 * see, and the last will when the pipeline is killed without a word (SIGKILL).
 */
class MqttPipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "s3cret-mqtt-password";

  @TempDir Path dir;

  @Test
  void publishesWhatTheCameraDoesAndTheLastWillSaysOfflineWhenKilled() throws Exception {
    try (RtspTestServer camera = RtspTestServer.start();
        MosquittoBroker broker = MosquittoBroker.withPassword(dir, "nvr", PASSWORD);
        MqttRecorder recorder = new MqttRecorder(broker.url(), "nvr", PASSWORD);
        StandIn ollama =
            new StandIn(
                "/api/chat",
                exchange -> {
                  exchange.getRequestBody().readAllBytes();
                  StandIn.respond(
                      exchange,
                      200,
                      "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":"
                          + JSON.writeValueAsString(
                              "{\"seen\":[\"person\"],\"alert\":true,\"description\":\"a"
                                  + " person\"}")
                          + "},\"done\":true}");
                })) {
      Files.writeString(dir.resolve("mqtt-password"), PASSWORD + "\n");
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path config = dir.resolve("pipeline.yaml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "cameras:",
              "  - name: gate",
              "    url: " + camera.url("/ball"),
              "    detect: {fps: 5, width: 160, minAreaPercent: 0.5}",
              "vision:",
              "  endpoint: " + ollama.baseUrl(),
              "  model: gemma3:27b",
              "alerts: {cooldownSeconds: 600}",
              "storage: {dataDir: " + dir.resolve("data") + "}",
              "server: {port: " + port + ", bindAddress: 127.0.0.1}",
              "mqtt:",
              "  url: " + broker.url().replace("tcp://", "mqtt://"),
              "  usernameEnv: MQTT_USER",
              "  passwordFile: " + dir.resolve("mqtt-password"),
              "  topicPrefix: homenvr",
              ""));
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("pipeline.log").toFile());
      builder.environment().put("MQTT_USER", "nvr");
      Process pipeline = builder.start();
      try {
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  assertRetained(recorder, "homenvr/available", "online");
                  assertRetained(recorder, "homenvr/gate/state", "streaming");
                  assertRetained(recorder, "homenvr/gate/recordings/state", "ON");
                  assertThat(Double.parseDouble(recorder.text("homenvr/gate/fps"))).isPositive();
                  assertThat(recorder.latest("homeassistant/camera/homenvr_gate/snapshot/config"))
                      .isNotNull();
                });
        // the ball moves: motion, the stand-in LLM sees a person, the photo is the snapshot
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  assertThat(recorder.text("homenvr/gate/motion")).isEqualTo("ON");
                  assertRetained(recorder, "homenvr/gate/person", "1");
                  // the object counts go out just before the photo: wait for it, not fail
                  assertThat(recorder.latest("homenvr/gate/snapshot")).isNotNull();
                  assertThat(recorder.latest("homenvr/gate/snapshot").payload())
                      .startsWith((byte) 0xff, (byte) 0xd8);
                  assertThat(recorder.on("homenvr/events")).isNotEmpty();
                });
        JsonNode event = JSON.readTree(recorder.on("homenvr/events").get(0).payload());
        assertThat(event.path("verdict").asText()).isEqualTo("verified");
        assertThat(event.path("objects").toString()).isEqualTo("[\"person\"]");

        JsonNode status =
            JSON.readTree(
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        assertThat(status.at("/mqtt/connected").asBoolean()).isTrue();
        assertThat(status.at("/mqtt/broker").asText()).isEqualTo(broker.url());
        assertThat(status.at("/mqtt/publishedTotal").asLong()).isPositive();
        String metrics =
            HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("homenvr_mqtt_connected 1.0");

        pipeline.destroyForcibly(); // SIGKILL: no DISCONNECT, the broker sends the last will
        pipeline.waitFor();
        await()
            .atMost(WAIT)
            .untilAsserted(() -> assertRetained(recorder, "homenvr/available", "offline"));
        try (MqttRecorder late = new MqttRecorder(broker.url(), "nvr", PASSWORD)) {
          await()
              .atMost(WAIT)
              .untilAsserted(
                  () -> {
                    assertRetained(late, "homenvr/available", "offline");
                    assertThat(late.latest("homenvr/available").retained()).isTrue();
                  });
        }
        String log = Files.readString(dir.resolve("pipeline.log"));
        List<String> published = recorder.all().stream().map(MqttRecorder.Received::text).toList();
        assertThat(log).doesNotContain(PASSWORD);
        assertThat(status.toString()).doesNotContain(PASSWORD);
        assertThat(published).noneMatch(text -> text.contains(PASSWORD));
      } finally {
        pipeline.destroyForcibly();
      }
    }
  }

  private static void assertRetained(MqttRecorder recorder, String topic, String text) {
    MqttRecorder.Received r = recorder.latest(topic);
    assertThat(r).as(topic).isNotNull();
    assertThat(r.text()).as(topic).isEqualTo(text);
  }
}
