package io.homenvr.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox API server's validation accepts good CameraMonitors and rejects bad ones by field, as
 * kube-apiserver does (the operator's CrdAdmissionTest holds the real server to the same cases),
 * except for the rules that call Kubernetes' own CEL libraries, which it skips.
 */
class CrdSchemaValidatorTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.forCameraMonitor();

  @ParameterizedTest
  @ValueSource(strings = {"minimal.yaml", "full.yaml"})
  void goodSamplesPass(String sample) throws IOException {
    CrdSchemaValidator.Result result = VALIDATOR.validate(sample(sample));

    assertThat(result.errors()).isEmpty();
    assertThat(result.unknownFields()).isEmpty();
    assertThat(result.valid()).isTrue();
  }

  @Test
  void defaultsAreAppliedLikeTheApiServerDoesInsideObjectsThatArePresent() throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    monitor.withObject("/spec").putObject("health");

    JsonNode stored = VALIDATOR.validate(monitor).object();

    assertThat(stored.at("/spec/cameras/0/transport").asText()).isEqualTo("tcp");
    assertThat(stored.at("/spec/health/checkIntervalSeconds").asInt()).isEqualTo(10);
    assertThat(stored.at("/spec/health/frameStaleSeconds").asInt()).isEqualTo(30);
    assertThat(stored.at("/spec/recovery").isMissingNode()).isTrue();
  }

  @Test
  void rulesSeeDefaultsSoAGraceBelowTheDefaultIntervalIsRejected() throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    monitor.withObject("/spec").putObject("recovery").put("recoveryGraceSeconds", 5);

    assertThat(VALIDATOR.validate(monitor).errors())
        .map(FieldError::toString)
        .containsExactly(
            "spec.recovery.recoveryGraceSeconds: Invalid value: \"object\":"
                + " spec.recovery.recoveryGraceSeconds must be greater than"
                + " spec.health.checkIntervalSeconds: a restarted pipeline needs at least one"
                + " check to prove itself");
  }

  @Test
  void unknownFieldsArePrunedAndReported() throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    ((ObjectNode) monitor.at("/spec/cameras/0")).put("nmae", "typo");

    CrdSchemaValidator.Result result = VALIDATOR.validate(monitor);

    assertThat(result.unknownFields()).containsExactly("spec.cameras[0].nmae");
    assertThat(result.object().at("/spec/cameras/0").has("nmae")).isFalse();
    assertThat(result.valid()).isTrue();
  }

  @Test
  void credentialsInAUrlAreNeverEchoedBack() throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    ((ObjectNode) monitor.at("/spec/cameras/0")).put("url", "rtsp://admin:hunter2@10.0.0.5/s");

    assertThat(VALIDATOR.validate(monitor).errors())
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.field()).isEqualTo("spec.cameras[0].url");
              assertThat(error.toString()).doesNotContain("hunter2");
            });
  }

  @Test
  void rulesThatCallKubernetesCelLibrariesAreSkipped() {
    assertThat(VALIDATOR.skippedRules())
        .isNotEmpty()
        .allMatch(rule -> rule.contains("isURL(") || rule.contains("isQuantity("));
    assertThat(VALIDATOR.skippedRules())
        .anyMatch(rule -> rule.contains("url(self).getPort()"))
        .anyMatch(rule -> rule.contains("isQuantity(self)"));
  }

  @Test
  void aPortOutOfRangeAndABadQuantityPassHereUnlikeOnARealApiServer() throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    camera(monitor).put("url", "rtsp://192.168.0.50:70000/x");
    monitor.withObject("/spec").putObject("pipeline").putObject("storage").put("size", "20 GB");

    assertThat(VALIDATOR.validate(monitor).errors()).isEmpty();
  }

  static Stream<Arguments> badSamples() {
    return Stream.of(
        bad(
            "url with an http scheme",
            m -> camera(m).put("url", "http://192.168.0.50/stream"),
            "spec.cameras[0].url: Invalid value: \"http://192.168.0.50/stream\": spec.cameras[0].url"
                + " in body should match"),
        bad(
            "credentials in the url",
            m -> camera(m).put("url", "rtsp://admin:secret@192.168.0.50/stream"),
            "spec.cameras[0].url: Invalid value: \"object\": url must not contain credentials"),
        bad(
            "duplicate camera names",
            m ->
                ((com.fasterxml.jackson.databind.node.ArrayNode) m.at("/spec/cameras"))
                    .addObject()
                    .put("name", "gate")
                    .put("url", "rtsp://192.168.0.51/stream"),
            "spec.cameras: Invalid value: \"object\": spec.cameras[].name must be unique"),
        bad(
            "no cameras",
            m -> m.withObject("/spec").putArray("cameras"),
            "spec.cameras: Invalid value: 0: spec.cameras in body should have at least 1 items"),
        bad(
            "cameras missing",
            m -> m.withObject("/spec").remove("cameras"),
            "spec.cameras: Required value"),
        bad(
            "zero check interval",
            m -> m.withObject("/spec").putObject("health").put("checkIntervalSeconds", 0),
            "spec.health.checkIntervalSeconds: Invalid value: 0: spec.health.checkIntervalSeconds"
                + " in body should be greater than or equal to 1"),
        bad(
            "negative frame staleness",
            m -> m.withObject("/spec").putObject("health").put("frameStaleSeconds", -5),
            "spec.health.frameStaleSeconds: Invalid value: -5"),
        bad(
            "negative restarts",
            m -> m.withObject("/spec").putObject("recovery").put("maxRestarts", -1),
            "spec.recovery.maxRestarts: Invalid value: -1"),
        bad(
            "grace not longer than the check interval",
            m -> {
              m.withObject("/spec").putObject("health").put("checkIntervalSeconds", 30);
              m.withObject("/spec").putObject("recovery").put("recoveryGraceSeconds", 30);
            },
            "spec.recovery.recoveryGraceSeconds: Invalid value: \"object\":"
                + " spec.recovery.recoveryGraceSeconds must be greater than"),
        bad(
            "ai fix enabled without a repository",
            m ->
                m.withObject("/spec")
                    .putObject("escalation")
                    .putObject("aiFix")
                    .put("enabled", true),
            "spec.escalation.aiFix: Invalid value: \"object\": aiFix.enabled needs"
                + " aiFix.repository"),
        bad(
            "chat id that is neither a number nor @name",
            m ->
                m.withObject("/spec")
                    .putObject("alerts")
                    .putObject("telegram")
                    .put("chatId", "my chat")
                    .putObject("botTokenSecretRef")
                    .put("name", "telegram")
                    .put("key", "token"),
            "spec.alerts.telegram.chatId: Invalid value: \"my chat\""),
        bad(
            "camera name that is no DNS label",
            m -> camera(m).put("name", "Front_Door"),
            "spec.cameras[0].name: Invalid value: \"Front_Door\""),
        bad(
            "object name that is no DNS subdomain",
            m -> m.withObject("/metadata").put("name", "My Home"),
            "metadata.name: Invalid value: \"My Home\": a lowercase RFC 1123 subdomain"),
        bad(
            "transport that does not exist",
            m -> camera(m).put("transport", "quic"),
            "spec.cameras[0].transport: Unsupported value: \"quic\": supported values: \"tcp\","
                + " \"udp\""),
        bad(
            "a number given as text",
            m -> m.withObject("/spec").putObject("health").put("checkIntervalSeconds", "10s"),
            "spec.health.checkIntervalSeconds: Invalid value: \"string\":"
                + " spec.health.checkIntervalSeconds in body must be of type integer"),
        bad(
            "credentials in the repository url",
            m -> {
              ObjectNode aiFix = m.withObject("/spec").putObject("escalation").putObject("aiFix");
              aiFix.put("enabled", true);
              aiFix.putObject("repository").put("url", "https://bob:token@github.com/x/y.git");
              aiFix.putObject("apiKeySecretRef").put("name", "aifix").put("key", "apiKey");
            },
            "spec.escalation.aiFix.repository.url: Invalid value: \"object\": repository.url must"
                + " not contain credentials"),
        bad(
            "too many cameras",
            m -> {
              var cameras = (com.fasterxml.jackson.databind.node.ArrayNode) m.at("/spec/cameras");
              for (int i = 1; i <= 32; i++) {
                cameras.addObject().put("name", "cam-" + i).put("url", "rtsp://10.0.0." + i + "/s");
              }
            },
            "spec.cameras: Too many: 33: must have at most 32 items"),
        bad(
            "toleration operator that does not exist",
            m ->
                m.withObject("/spec")
                    .putObject("pipeline")
                    .putArray("tolerations")
                    .addObject()
                    .put("key", "dedicated")
                    .put("operator", "Maybe"),
            "spec.pipeline.tolerations[0].operator: Unsupported value: \"Maybe\""),
        bad(
            "node selector key that is no label key",
            m ->
                m.withObject("/spec")
                    .putObject("pipeline")
                    .putObject("nodeSelector")
                    .put("bad key!", "x"),
            "spec.pipeline.nodeSelector: Invalid value: \"object\": keys must be label keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSamples")
  void badSamplesAreRejectedNamingTheField(
      String what, Consumer<ObjectNode> breakIt, String expectedError) throws IOException {
    ObjectNode monitor = sample("minimal.yaml");
    breakIt.accept(monitor);

    CrdSchemaValidator.Result result = VALIDATOR.validate(monitor);

    assertThat(result.valid()).as(what).isFalse();
    assertThat(result.errors())
        .map(FieldError::toString)
        .anyMatch(e -> e.startsWith(expectedError));
  }

  private static Arguments bad(String what, Consumer<ObjectNode> breakIt, String expectedError) {
    return Arguments.of(what, breakIt, expectedError);
  }

  private static ObjectNode camera(ObjectNode monitor) {
    return (ObjectNode) monitor.at("/spec/cameras/0");
  }

  private static ObjectNode sample(String name) throws IOException {
    try (InputStream in = CrdSchemaValidatorTest.class.getResourceAsStream("/samples/" + name)) {
      return (ObjectNode) YAML.readTree(in);
    }
  }
}
