package io.homenvr.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.CameraMonitors;
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
  void theSummaryLineComesWellWithinLogStaleSeconds() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getSpec().getHealth().setLogStaleSeconds(40);

    assertThat(PipelineConfigRenderer.render(monitor.getSpec()))
        .endsWith("summaryIntervalSeconds: 20\n");
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
