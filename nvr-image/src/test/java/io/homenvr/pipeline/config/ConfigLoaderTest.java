package io.homenvr.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homenvr.pipeline.config.PipelineConfig.VisionApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config format of docs/pipeline-config.md, read exactly as documented. */
class ConfigLoaderTest {
  @TempDir Path dir;

  /** The YAML example of the doc, its Secret paths moved into the test's directory. */
  private Path documentedExample() throws Exception {
    String doc = Files.readString(Path.of("../docs/pipeline-config.md"));
    String yaml =
        doc.substring(
            doc.indexOf("```yaml\n") + 8, doc.indexOf("```", doc.indexOf("```yaml\n") + 8));
    Path secrets = dir.resolve("secrets");
    for (String file :
        new String[] {
          "gate-cam/username",
          "gate-cam/password",
          "vision/apiKey",
          "telegram/token",
          "mqtt/username",
          "mqtt/password"
        }) {
      Files.createDirectories(secrets.resolve(file).getParent());
      Files.writeString(secrets.resolve(file), "s3cret-" + file.replace('/', '-') + "\n");
    }
    Path config = dir.resolve("pipeline.yaml");
    Files.writeString(config, yaml.replace("/var/run/secrets/homenvr", secrets.toString()));
    return config;
  }

  @Test
  void readsTheDocumentedExampleWithSecretsFromFiles() throws Exception {
    PipelineConfig config = ConfigLoader.load(documentedExample(), name -> null);
    var gate = config.cameras().get(0);
    assertThat(gate.name()).isEqualTo("gate");
    assertThat(gate.url()).isEqualTo("rtsp://192.168.0.50:554/stream1");
    assertThat(gate.transport()).isEqualTo(PipelineConfig.Transport.TCP);
    assertThat(gate.username()).hasValue("s3cret-gate-cam-username");
    assertThat(gate.detect())
        .isEqualTo(
            new PipelineConfig.DetectConfig(
                5, 640, 0.5, PipelineConfig.DecodeMode.ECO, Duration.ofSeconds(10)));
    var vision = config.vision().orElseThrow();
    assertThat(vision.api()).isEqualTo(VisionApi.OLLAMA);
    assertThat(vision.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(vision.apiKey()).hasValue("s3cret-vision-apiKey");
    assertThat(config.alerts().cooldown()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.alerts().telegram().orElseThrow().botToken())
        .isEqualTo("s3cret-telegram-token");
    assertThat(config.storage().maxBytes()).isEqualTo(10L * 1024 * 1024 * 1024);
    assertThat(config.storage().retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.summaryInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.toString()).doesNotContain("s3cret");
    var record = gate.record();
    assertThat(record.mode()).isEqualTo(PipelineConfig.RecordMode.CONTINUOUS);
    assertThat(record.segment()).isEqualTo(Duration.ofSeconds(10));
    assertThat(record.eventRetain()).isEqualTo(Duration.ofDays(30));
    assertThat(record.recordUrl()).hasValue("rtsp://192.168.0.50:554/stream0");
    assertThat(config.storage().recordingsMaxBytes()).hasValue(53687091200L);
    var offload = config.storage().offload().orElseThrow();
    assertThat(offload.dir()).isEqualTo(Path.of("/offload"));
    assertThat(offload.retain()).isEqualTo(Duration.ofDays(90));
    var mqtt = config.mqtt().orElseThrow();
    assertThat(mqtt.url()).isEqualTo("tcp://mosquitto.lan:1883");
    assertThat(mqtt.username()).hasValue("s3cret-mqtt-username");
    assertThat(mqtt.password()).hasValue("s3cret-mqtt-password");
    assertThat(mqtt.topicPrefix()).isEqualTo("homenvr");
    assertThat(mqtt.homeAssistantDiscovery()).isTrue();
    assertThat(mqtt.discoveryPrefix()).isEqualTo("homeassistant");
  }

  @Test
  void anMqttTopicPrefixWithWildcardsOrSlashesAtItsEndsIsRefused() throws Exception {
    for (String prefix : new String[] {"home/+", "nvr/#", "/homenvr", "homenvr/", "''"}) {
      Path config = dir.resolve("mqtt.yaml");
      Files.writeString(
          config,
          "cameras:\n  - name: gate\n    url: rtsp://10.0.0.1/s\n"
              + "mqtt:\n  url: mqtts://broker:8883\n  topicPrefix: "
              + prefix
              + "\n");
      assertThatThrownBy(() -> ConfigLoader.load(config, name -> null))
          .as(prefix)
          .hasMessageContaining("mqtt.topicPrefix");
    }
    Path config = dir.resolve("tls.yaml");
    Files.writeString(
        config,
        "cameras:\n  - name: gate\n    url: rtsp://10.0.0.1/s\n"
            + "mqtt:\n  url: mqtts://broker:8883\n  topicPrefix: home/nvr\n");
    assertThat(ConfigLoader.load(config, name -> null).mqtt().orElseThrow().url())
        .isEqualTo("ssl://broker:8883");
  }

  @Test
  void aCameraWithoutRecordRecordsContinuouslyWithTheDefaults() throws Exception {
    Path config = dir.resolve("minimal.yaml");
    Files.writeString(config, "cameras:\n  - name: gate\n    url: rtsp://10.0.0.1/s\n");
    var camera = ConfigLoader.load(config, name -> null).cameras().get(0);
    assertThat(camera.record()).isEqualTo(PipelineConfig.RecordConfig.DEFAULTS);
  }

  @Test
  void badRecordSettingsNameTheirFieldAndTheBounds() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "cameras:",
            "  - name: gate",
            "    url: rtsp://10.0.0.1/s",
            "    record:",
            "      mode: sometimes",
            "      segmentSeconds: 1",
            "      postRollSeconds: 61",
            "      retainDays: 0",
            "      recordUrl: rtsp://admin:hunter2@10.0.0.1/main",
            ""));
    assertThatThrownBy(() -> ConfigLoader.load(config, name -> null))
        .hasMessageContaining(
            "cameras[0].record.mode: 'sometimes' must be continuous, events or off")
        .hasMessageContaining("cameras[0].record.segmentSeconds: 1 must be between 2 and 60")
        .hasMessageContaining("cameras[0].record.postRollSeconds: 61 must be between 0 and 60")
        .hasMessageContaining("cameras[0].record.retainDays: 0 must be between 1 and 3650")
        .hasMessageContaining("cameras[0].record.recordUrl: must not contain credentials")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void appliesDefaultsAndTheBindAddressOverride() throws Exception {
    Path file = dir.resolve("minimal.yaml");
    Files.writeString(
        file, "cameras:\n  - name: gate\n    url: rtsp://cam/1\n    passwordEnv: CAM_PW\n");
    PipelineConfig config =
        ConfigLoader.load(
            file, Map.of("CAM_PW", "pw", ConfigLoader.BIND_ADDRESS_ENV, "127.0.0.7")::get);
    assertThat(config.vision()).isEmpty();
    assertThat(config.alerts().telegram()).isEmpty();
    assertThat(config.cameras().get(0).password()).hasValue("pw");
    assertThat(config.cameras().get(0).username()).isEmpty();
    assertThat(config.server().bindAddress()).isEqualTo("127.0.0.7");
    assertThat(config.storage().dataDir()).isEqualTo(Path.of("/data"));
  }

  @Test
  void namesEveryBadFieldAndTheFix() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "cameras:",
            "  - name: Gate_1",
            "    url: rtsp://admin:pw@cam/1",
            "    detect: {fps: 0}",
            "  - name: yard",
            "    url: http://cam/2",
            "    transport: quic",
            "vision: {endpoint: dgx:11434}",
            "alerts: {telegram: {chatId: \"1\"}}",
            ""));
    assertThatThrownBy(() -> ConfigLoader.load(file, name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cameras[0].name: 'Gate_1' must be a DNS label")
        .hasMessageContaining("cameras[0].url: must not contain credentials")
        .hasMessageContaining("cameras[0].detect.fps")
        .hasMessageContaining("cameras[1].url")
        .hasMessageContaining("cameras[1].transport: 'quic' must be tcp or udp")
        .hasMessageContaining("vision.endpoint")
        .hasMessageContaining("vision.model: required")
        .hasMessageContaining(
            "alerts.telegram.botTokenFile or alerts.telegram.botTokenEnv: required")
        .message()
        .doesNotContain("pw@");
  }

  @Test
  void rejectsUnknownFieldsSoATypoIsNotASilentDefault() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(
        file, "cameras:\n  - name: gate\n    url: rtsp://cam/1\n    detct: {fps: 2}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, name -> null))
        .hasMessageContaining("unknown field 'detct'");
  }

  @Test
  void redactsAndInjectsCredentials() {
    assertThat(Urls.redact("rtsp://admin:pw@cam:554/x")).isEqualTo("rtsp://***@cam:554/x");
    assertThat(Urls.redact("rtsp://cam:554/x")).isEqualTo("rtsp://cam:554/x");
    assertThat(Urls.withCredentials("rtsp://cam/x", Optional.of("ad min"), Optional.of("p@ss:")))
        .isEqualTo("rtsp://ad%20min:p%40ss%3A@cam/x");
    assertThat(Urls.withCredentials("rtsp://cam/x", Optional.empty(), Optional.empty()))
        .isEqualTo("rtsp://cam/x");
  }
}
