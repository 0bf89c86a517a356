package io.homenvr.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.DetectSpec;
import io.homenvr.api.v1alpha1.spec.MqttSpec;
import io.homenvr.api.v1alpha1.spec.OffloadSpec;
import io.homenvr.api.v1alpha1.spec.RecordSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.ConfigOverride;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.aifix.ConfigOverrides;
import io.homenvr.operator.names.CameraMonitorResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigRendererTest {
  @Test
  void visionAndTelegramReadTheirSecretsFromMountedFiles() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    VisionSpec vision = new VisionSpec();
    vision.setEndpoint("http://dgx.lan:11434");
    vision.setApiKeySecretRef(new SecretKeyRef("vision", "apiKey"));
    monitor.getSpec().setVision(vision);
    TelegramSpec telegram = new TelegramSpec();
    telegram.setBotTokenSecretRef(new SecretKeyRef("telegram", "token"));
    telegram.setChatId("123456");
    monitor.getSpec().getAlerts().setTelegram(telegram);

    String yaml = PipelineConfigRenderer.render(monitor.getSpec());

    assertThat(yaml)
        .contains(
            """
            vision:
              api: ollama
              endpoint: http://dgx.lan:11434
              model: gemma3:27b
              timeoutSeconds: 60
              maxConcurrent: 1
              queueSize: 8
              apiKeyFile: /var/run/secrets/homenvr/vision/apiKey
            alerts:
              cooldownSeconds: 60
              telegram:
                apiBaseUrl: https://api.telegram.org
                chatId: "123456"
                botTokenFile: /var/run/secrets/homenvr/telegram/token
            """);
    assertThat(PipelineConfigRenderer.secretKeys(monitor.getSpec()))
        .isEqualTo(
            Map.of(
                "gate-cam", List.of("username", "password"),
                "vision", List.of("apiKey"),
                "telegram", List.of("token")));
  }

  @Test
  void anAcceptedConfigOverrideInStatusIsRenderedAndTheSpecIsLeftAlone() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getSpec().getEscalation().getAiFix().setEnabled(true);
    ConfigOverride config = new ConfigOverride();
    config.setProposal(
        "{\"type\":\"config\",\"field\":\"camera.detect.fps\",\"camera\":\"gate\",\"value\":2}");
    Overrides overrides = new Overrides();
    overrides.setConfig(config);
    monitor.setStatus(new CameraMonitorStatus());
    monitor.getStatus().setOverrides(overrides);
    int fps = monitor.getSpec().getCameras().get(0).getDetect().getFps();

    String yaml = PipelineConfigRenderer.render(ConfigOverrides.effectiveSpec(monitor));

    assertThat(yaml).as("the yard camera keeps its rate").contains("fps: 2", "fps: " + fps);
    assertThat(yaml.indexOf("fps: 2")).isLessThan(yaml.indexOf("name: yard"));
    assertThat(monitor.getSpec().getCameras().get(0).getDetect().getFps()).isEqualTo(fps);
    assertThat(PipelineConfigRenderer.checksum(ConfigOverrides.effectiveSpec(monitor)))
        .isNotEqualTo(PipelineConfigRenderer.checksum(monitor.getSpec()));

    // made permanent in the spec (or otherwise no longer allowed): the spec is rendered as it is
    monitor.getSpec().getCameras().get(0).getDetect().setFps(2);
    assertThat(ConfigOverrides.effectiveSpec(monitor)).isSameAs(monitor.getSpec());
    config.setProposal("{\"type\":\"config\",\"field\":\"escalation.aiFix.enabled\",\"value\":1}");
    assertThat(ConfigOverrides.effectiveSpec(monitor)).isSameAs(monitor.getSpec());
    config.setProposal("not json");
    assertThat(ConfigOverrides.effectiveSpec(monitor)).isSameAs(monitor.getSpec());
  }

  @Test
  void mqttReadsItsLoginAndCaFromMountedFilesNeverFromTheConfig() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    MqttSpec mqtt = new MqttSpec();
    mqtt.setUrl("mqtts://mosquitto.lan:8883");
    CredentialsRef login = new CredentialsRef();
    login.setName("mqtt-login");
    mqtt.setCredentialsSecretRef(login);
    mqtt.setCaSecretRef(new SecretKeyRef("mqtt-ca", "ca.crt"));
    mqtt.setTopicPrefix("home/nvr");
    monitor.getSpec().setMqtt(mqtt);

    String yaml = PipelineConfigRenderer.render(monitor.getSpec());

    assertThat(yaml)
        .contains(
            """
            mqtt:
              url: mqtts://mosquitto.lan:8883
              usernameFile: /var/run/secrets/homenvr/mqtt-login/username
              passwordFile: /var/run/secrets/homenvr/mqtt-login/password
              topicPrefix: home/nvr
              homeAssistantDiscovery: true
              discoveryPrefix: homeassistant
              caFile: /var/run/secrets/homenvr/mqtt-ca/ca.crt
            """);
    assertThat(PipelineConfigRenderer.secretKeys(monitor.getSpec()))
        .containsEntry("mqtt-login", List.of("username", "password"))
        .containsEntry("mqtt-ca", List.of("ca.crt"));
  }

  @Test
  void withoutMqttThereIsNoMqttBlock() {
    assertThat(PipelineConfigRenderer.render(CameraMonitors.home("nvr").getSpec()))
        .doesNotContain("mqtt");
  }

  @Test
  void eachCameraGetsItsRecordBlockAndTheStorageItsRecordingLimits() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    RecordSpec record = new RecordSpec();
    record.setMode(RecordSpec.Mode.EVENTS);
    record.setSegmentSeconds(6);
    record.setRecordUrl("rtsp://192.168.0.50:554/main");
    monitor.getSpec().getCameras().get(0).setRecord(record);
    StorageSpec storage = new StorageSpec();
    storage.setRecordingsMaxSize("50Gi");
    storage.setMinFreeInodesPercent(3);
    monitor.getSpec().getPipeline().setStorage(storage);

    String yaml = PipelineConfigRenderer.render(monitor.getSpec());

    assertThat(yaml)
        .contains(
            """
                minAreaPercent: 0.5
                mode: eco
                ecoQuietSeconds: 10
              record:
                mode: events
                segmentSeconds: 6
                preRollSeconds: 5
                postRollSeconds: 5
                retainDays: 7
                eventRetainDays: 30
                recordUrl: rtsp://192.168.0.50:554/main
            - name: yard
            """)
        .contains(
            """
            storage:
              dataDir: /data
              retentionDays: 7
              maxBytes: 19327352832
              minFreePercent: 10
              minFreeInodesPercent: 3
              recordingsMaxBytes: 53687091200
            """);
  }

  @Test
  void anOffloadClaimIsRenderedAsTheOffloadDirectoryWithItsRetention() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    StorageSpec storage = new StorageSpec();
    OffloadSpec offload = new OffloadSpec();
    offload.setClaimName("nas-clips");
    offload.setRetainDays(120);
    storage.setOffload(offload);
    monitor.getSpec().getPipeline().setStorage(storage);

    assertThat(PipelineConfigRenderer.render(monitor.getSpec()))
        .contains(
            """
              minFreeInodesPercent: 5
              offload:
                dir: /offload
                retainDays: 120
            """)
        .doesNotContain("nas-clips");
  }

  @Test
  void aCameraWithoutRecordRecordsContinuouslyAndRecordingsHaveNoLimitOfTheirOwn() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getSpec().getCameras().get(0).setRecord(null);
    monitor.getSpec().getPipeline().setStorage(null);

    String yaml = PipelineConfigRenderer.render(monitor.getSpec());

    assertThat(yaml)
        .contains(
            """
                minAreaPercent: 0.5
                mode: eco
                ecoQuietSeconds: 10
              record:
                mode: continuous
                segmentSeconds: 10
                preRollSeconds: 5
                postRollSeconds: 5
                retainDays: 7
                eventRetainDays: 30
            - name: yard
            """)
        .doesNotContain("recordUrl")
        .doesNotContain("recordingsMaxBytes")
        .contains("  minFreeInodesPercent: 5\n");
  }

  @Test
  void theSummaryLineComesWellWithinLogStaleSeconds() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getSpec().getHealth().setLogStaleSeconds(40);

    assertThat(PipelineConfigRenderer.render(monitor.getSpec()))
        .endsWith("summaryIntervalSeconds: 20\n");
  }

  @Test
  void aCameraInFullDecodeModeIsRenderedWithItsQuietPeriod() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getSpec().getCameras().get(0).getDetect().setMode(DetectSpec.Mode.FULL);
    monitor.getSpec().getCameras().get(0).getDetect().setEcoQuietSeconds(45);

    assertThat(PipelineConfigRenderer.render(monitor.getSpec()))
        .contains(
            """
                minAreaPercent: 0.5
                mode: full
                ecoQuietSeconds: 45
            """);
  }

  @Test
  void theChecksumFollowsTheRenderedConfig() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    String before = PipelineConfigRenderer.checksum(monitor.getSpec());
    assertThat(PipelineConfigRenderer.checksum(monitor.getSpec())).isEqualTo(before);

    monitor.getSpec().getCameras().get(0).getDetect().setWidth(800);

    assertThat(PipelineConfigRenderer.checksum(monitor.getSpec())).isNotEqualTo(before);
  }

  @Test
  void longOrDottedSecretNamesGetHashedVolumeNames() {
    assertThat(CameraMonitorResources.secretVolumeName("gate-cam")).isEqualTo("secret-gate-cam");
    assertThat(CameraMonitorResources.secretVolumeName("cams.home.lan"))
        .matches("secret-[0-9a-f]{16}");
    assertThat(CameraMonitorResources.aiFixJobName(monitorNamed("x".repeat(45)), "20260101-1"))
        .hasSizeLessThanOrEqualTo(63)
        .startsWith("xxxx");
  }

  private static CameraMonitor monitorNamed(String name) {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getMetadata().setName(name);
    return monitor;
  }
}
