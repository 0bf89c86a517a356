package io.homenvr.operator.escalation.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import java.util.Arrays;

/** CameraMonitors for tests. */
public final class Monitors {
  private Monitors() {}

  public static CameraMonitor monitor(String... cameras) {
    CameraMonitor monitor = new CameraMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder().withName("home").withNamespace("nvr").withGeneration(1L).build());
    CameraMonitorSpec spec = new CameraMonitorSpec();
    spec.setCameras(
        Arrays.stream(cameras.length == 0 ? new String[] {"gate"} : cameras)
            .map(
                name -> {
                  CameraSpec camera = new CameraSpec();
                  camera.setName(name);
                  camera.setUrl("rtsp://127.0.0.1:8554/" + name);
                  return camera;
                })
            .toList());
    monitor.setSpec(spec);
    return monitor;
  }

  public static CameraMonitor withTelegram(CameraMonitor monitor, String apiBaseUrl) {
    TelegramSpec telegram = new TelegramSpec();
    telegram.setBotTokenSecretRef(new SecretKeyRef("telegram", "token"));
    telegram.setChatId("4242");
    telegram.setApiBaseUrl(apiBaseUrl);
    monitor.getSpec().getEscalation().setTelegram(telegram);
    return monitor;
  }

  public static CameraMonitor withAiFix(CameraMonitor monitor) {
    var aiFix = monitor.getSpec().getEscalation().getAiFix();
    aiFix.setEnabled(true);
    RepositorySpec repository = new RepositorySpec();
    repository.setUrl("https://git.example/home/nvr.git");
    repository.setCredentialsSecretRef(new SecretKeyRef("git", "token"));
    aiFix.setRepository(repository);
    aiFix.setApiKeySecretRef(new SecretKeyRef("anthropic", "apiKey"));
    return monitor;
  }

  public static CameraMonitor withOllama(CameraMonitor monitor, String endpoint) {
    VisionSpec vision = new VisionSpec();
    vision.setEndpoint(endpoint);
    monitor.getSpec().setVision(vision);
    return monitor;
  }
}
