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
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.CameraMonitors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the CRD cannot know: Secrets and keys that exist, Java regexes, requests within limits. */
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
  void cameraCredentialsNeedBothKeys() {
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getCameras()
                        .get(0)
                        .getCredentialsSecretRef()
                        .setPasswordKey("pin")))
        .containsExactly(
            "spec.cameras[0].credentialsSecretRef: Secret gate-cam has no key 'pin'; add it to the"
                + " Secret or point spec.cameras[0].credentialsSecretRef at the key that holds it");
  }

  @Test
  void aTransientErrorPatternMustCompileAsAJavaRegex() {
    assertThat(
            errorsAfter(
                m -> m.getSpec().getHealth().getTransientErrorPatterns().add("timed out (")))
        .singleElement()
        .asString()
        .startsWith(
            "spec.health.transientErrorPatterns[6]: 'timed out (' is not a valid regular"
                + " expression (Unclosed group)");
  }

  @Test
  void aRequestAboveItsLimitCountsTheDefaultLimits() {
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getPipeline()
                        .setResources(
                            new ResourceRequirementsBuilder()
                                .addToRequests("cpu", new Quantity("3"))
                                .build())))
        .containsExactly(
            "spec.pipeline.resources.requests.cpu: (3) is above its limit (2); raise"
                + " spec.pipeline.resources.limits.cpu or lower the request");
    assertThat(
            errorsAfter(
                m ->
                    m.getSpec()
                        .getPipeline()
                        .setResources(
                            new ResourceRequirementsBuilder()
                                .addToRequests("cpu", new Quantity("3"))
                                .addToLimits("cpu", new Quantity("4"))
                                .build())))
        .isEmpty();
  }

  @Test
  void everyErrorIsReportedNotJustTheFirst() {
    assertThat(
            errorsAfter(
                m -> {
                  m.getSpec().getCameras().get(0).getCredentialsSecretRef().setName("porch-cam");
                  m.getSpec().getHealth().getTransientErrorPatterns().add("[");
                }))
        .hasSize(2)
        .satisfiesExactly(
            first -> assertThat(first).startsWith("spec.cameras[0].credentialsSecretRef: Secret"),
            second -> assertThat(second).startsWith("spec.health.transientErrorPatterns[6]"));
  }
}
