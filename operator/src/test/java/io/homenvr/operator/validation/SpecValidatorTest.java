package io.homenvr.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.CameraMonitors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  private static final Map<String, Secret> SECRETS =
      Map.of(
          "gate-cam", secret("gate-cam", "username", "password"),
          "telegram", secret("telegram", "token"),
          "agent", secret("agent", "apiKey"),
          "git", secret("git", "token"));
  private static final SecretLookup LOOKUP =
      (namespace, name) ->
          "nvr".equals(namespace) ? Optional.ofNullable(SECRETS.get(name)) : Optional.empty();

  private static Secret secret(String name, String... keys) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
    for (String key : keys) {
      secret.addToData(key, "eA==");
    }
    return secret.build();
  }

  /** Everything switched on, all of it right. */
  private static CameraMonitor everything() {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    VisionSpec vision = new VisionSpec();
    vision.setEndpoint("http://dgx.lan:11434");
    vision.setApiKeySecretRef(new SecretKeyRef("agent", "apiKey"));
    monitor.getSpec().setVision(vision);
    TelegramSpec telegram = new TelegramSpec();
    telegram.setBotTokenSecretRef(new SecretKeyRef("telegram", "token"));
    telegram.setChatId("-100123");
    monitor.getSpec().getAlerts().setTelegram(telegram);
    TelegramSpec incidents = new TelegramSpec();
    incidents.setBotTokenSecretRef(new SecretKeyRef("telegram", "token"));
    incidents.setChatId("@homenvr_ops");
    monitor.getSpec().getEscalation().setTelegram(incidents);
    monitor.getSpec().getEscalation().setDeadMansSwitchUrl("https://hc-ping.com/abc");
    AiFixSpec aiFix = monitor.getSpec().getEscalation().getAiFix();
    aiFix.setEnabled(true);
    aiFix.setApiKeySecretRef(new SecretKeyRef("agent", "apiKey"));
    RepositorySpec repository = new RepositorySpec();
    repository.setUrl("https://github.com/example/homenvr.git");
    repository.setCredentialsSecretRef(new SecretKeyRef("git", "token"));
    aiFix.setRepository(repository);
    monitor.getSpec().getPipeline().setStorage(new StorageSpec());
    monitor
        .getSpec()
        .getPipeline()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("3Gi")).build());
    return monitor;
  }

  private static List<String> errorsAfter(Consumer<CameraMonitor> change) {
    CameraMonitor monitor = everything();
    change.accept(monitor);
    return SpecValidator.validate(monitor, LOOKUP).stream().map(SpecError::toString).toList();
  }

  @Test
  void aCompleteValidSpecHasNoErrors() {
    assertThat(errorsAfter(m -> {})).isEmpty();
  }

  @Test
  void eachSecretReferenceIsChecked() {
    assertThat(errorsAfter(m -> m.getSpec().getVision().getApiKeySecretRef().setKey("key")))
        .containsExactly(
            "spec.vision.apiKeySecretRef: Secret agent has no key 'key'; add it to the Secret or"
                + " point spec.vision.apiKeySecretRef at the key that holds it");
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getEscalation()
                        .getAiFix()
                        .getRepository()
                        .setCredentialsSecretRef(new SecretKeyRef("github", "token"))))
        .singleElement()
        .asString()
        .startsWith(
            "spec.escalation.aiFix.repository.credentialsSecretRef: Secret github does not exist"
                + " in namespace nvr; create it (kubectl -n nvr create secret generic github"
                + " --from-literal=token=...)");
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getAlerts()
                        .getTelegram()
                        .setBotTokenSecretRef(new SecretKeyRef("tg", "token"))))
        .singleElement()
        .asString()
        .startsWith("spec.alerts.telegram.botTokenSecretRef: Secret tg does not exist");
  }

  @Test
  void disabledAiFixNeedsNoSecrets() {
    assertThat(
            errorsAfter(
                m -> {
                  m.getSpec().getEscalation().getAiFix().setEnabled(false);
                  m.getSpec()
                      .getEscalation()
                      .getAiFix()
                      .setApiKeySecretRef(new SecretKeyRef("gone", "k"));
                }))
        .isEmpty();
  }

  @Test
  void urlsWithCredentialsAreRejectedWithoutEchoingThem() {
    assertThat(errorsAfter(m -> m.getSpec().getVision().setEndpoint("http://u:pw@dgx.lan:11434")))
        .singleElement()
        .asString()
        .startsWith("spec.vision.endpoint: 'http://***@dgx.lan:11434' is not an http")
        .doesNotContain("pw");
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getEscalation()
                        .getAiFix()
                        .getRepository()
                        .setUrl("https://ghp_token@github.com/x/y.git")))
        .singleElement()
        .asString()
        .startsWith("spec.escalation.aiFix.repository.url: must not contain credentials")
        .doesNotContain("ghp_token");
    assertThat(errorsAfter(m -> m.getSpec().getCameras().get(0).setUrl("http://a:b@cam/x")))
        .singleElement()
        .asString()
        .contains("'http://***@cam/x' is not an rtsp:// or rtsps:// URL");
  }

  @Test
  void boundsAndFormatsTheSchemaAlsoStates() {
    assertThat(errorsAfter(m -> m.getSpec().getCameras().get(0).setName("Gate_1")))
        .containsExactly(
            "spec.cameras[0].name: 'Gate_1' is not a DNS label: use lower-case letters, digits"
                + " and '-'");
    assertThat(errorsAfter(m -> m.getSpec().getCameras().get(1).getDetect().setFps(60)))
        .containsExactly("spec.cameras[1].detect.fps: is 60; it must be between 1 and 30");
    assertThat(errorsAfter(m -> m.getSpec().getVision().setTimeoutSeconds(0)))
        .containsExactly("spec.vision.timeoutSeconds: is 0; it must be between 1 and 3600");
    assertThat(errorsAfter(m -> m.getSpec().getRecovery().setMaxRestarts(-1)))
        .containsExactly("spec.recovery.maxRestarts: is -1; it must be between 0 and 20");
    assertThat(errorsAfter(m -> m.getSpec().getPipeline().getStorage().setSize("lots")))
        .containsExactly("spec.pipeline.storage.size: 'lots' is not a positive size such as 20Gi");
    assertThat(errorsAfter(m -> m.getSpec().getPipeline().setImagePullPolicy("Sometimes")))
        .containsExactly(
            "spec.pipeline.imagePullPolicy: 'Sometimes' is not one of Always, IfNotPresent, Never");
    assertThat(errorsAfter(m -> m.getSpec().getEscalation().setDeadMansSwitchUrl("ftp://x")))
        .singleElement()
        .asString()
        .startsWith("spec.escalation.deadMansSwitchUrl: 'ftp://x' is not an http");
    assertThat(errorsAfter(m -> m.getSpec().getEscalation().getAiFix().setTimeoutSeconds(10)))
        .containsExactly(
            "spec.escalation.aiFix.timeoutSeconds: is 10; it must be between 60 and 21600");
  }

  @Test
  void aNameTooLongForItsChildrenIsRejected() {
    assertThat(errorsAfter(m -> m.getMetadata().setName("a".repeat(46))))
        .singleElement()
        .asString()
        .startsWith("metadata.name: must be a DNS label of at most 45 characters");
    assertThat(errorsAfter(m -> m.getMetadata().setName("a".repeat(45)))).isEmpty();
  }

  @Test
  void everyErrorIsReportedNotJustTheFirst() {
    assertThat(
            errorsAfter(
                m -> {
                  m.getSpec().getCameras().get(0).setUrl("rtsp://x:y@cam/1");
                  m.getSpec().getHealth().setCheckIntervalSeconds(120);
                }))
        .containsExactly(
            "spec.cameras[0].url: must not contain credentials; store them in a Secret (keys"
                + " username, password) and set spec.cameras[0].credentialsSecretRef",
            "spec.recovery.recoveryGraceSeconds: must be greater than"
                + " spec.health.checkIntervalSeconds (120): a restarted pipeline needs at least"
                + " one check to prove itself");
  }
}
