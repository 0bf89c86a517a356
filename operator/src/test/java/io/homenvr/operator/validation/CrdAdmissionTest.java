package io.homenvr.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CameraMonitor CRD's schema and CEL rules, enforced by a real kube-apiserver: each bad
 * CameraMonitor is refused at {@code create} with a 422 that names the field, and nothing is
 * stored; the samples users start from are accepted. Installing the CRD at all proves that the
 * server compiles every rule and accepts their estimated cost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdAdmissionTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path K3S_EXAMPLE =
      Path.of("").toAbsolutePath().resolveSibling("k3s").resolve("example-cameramonitor.yaml");

  private TestCluster cluster;
  private KubernetesClient client;
  private String namespace;

  /**
   * One way to get a CameraMonitor wrong.
   *
   * @param what the mistake, also the test's name
   * @param breakIt turns the full sample into the bad one
   * @param error how the server's message names the field and the problem (its start)
   */
  record Bad(String what, Consumer<ObjectNode> breakIt, String error) {
    @Override
    public String toString() {
      return what;
    }
  }

  @BeforeAll
  void installTheCrd() {
    cluster = TestCluster.start();
    client = cluster.client();
    namespace = cluster.namespace("admission");
  }

  @AfterAll
  void deleteTheNamespace() {
    cluster.close();
  }

  @Test
  void theFullSampleIsAcceptedAndDefaultsAreFilledIn() throws IOException {
    ObjectNode monitor = sample();
    monitor.withObject("/metadata").put("name", "full");
    ((ObjectNode) monitor.at("/spec/cameras/1")).remove("transport");

    GenericKubernetesResource stored = monitors().resource(resource(monitor)).create();

    JsonNode spec = YAML.valueToTree(stored.getAdditionalProperties().get("spec"));
    assertThat(spec.at("/cameras/1/transport").asText()).isEqualTo("tcp");
    assertThat(spec.at("/cameras/1/record/mode").asText()).isEqualTo("continuous");
    assertThat(spec.at("/cameras/1/record/segmentSeconds").asInt()).isEqualTo(10);
    assertThat(spec.at("/cameras/1/record/eventRetainDays").asInt()).isEqualTo(30);
    assertThat(spec.at("/cameras/1/record/recordUrl").isMissingNode()).isTrue();
    assertThat(spec.at("/pipeline/tolerations/1/operator").asText()).isEqualTo("Exists");
    assertThat(spec.at("/mqtt/topicPrefix").asText()).isEqualTo("homenvr");
    assertThat(spec.at("/mqtt/homeAssistantDiscovery").asBoolean()).isTrue();
    assertThat(spec.at("/mqtt/discoveryPrefix").asText()).isEqualTo("homeassistant");
  }

  @Test
  void theK3sExampleIsAccepted() throws IOException {
    ObjectNode monitor = (ObjectNode) YAML.readTree(Files.readString(K3S_EXAMPLE));
    monitor.withObject("/metadata").put("name", "k3s-example").put("namespace", namespace);

    assertThat(monitors().resource(resource(monitor)).create().getMetadata().getUid()).isNotNull();
  }

  @Test
  void kubectlExplainFindsADescriptionAtTheRoot() throws IOException {
    JsonNode published =
        YAML.readTree(client.raw("/openapi/v3/apis/" + CameraMonitor.GROUP + "/v1alpha1"));

    JsonNode schema = published.at("/components/schemas/io.homenvr.v1alpha1.CameraMonitor");
    assertThat(schema.path("description").asText()).isEqualTo(CameraMonitor.DESCRIPTION);
    assertThat(schema.at("/properties/spec/properties/pipeline/description").asText())
        .startsWith("How the pipeline workload runs");
  }

  static Stream<Bad> badSpecs() {
    return Stream.of(
        // the three of the issue
        new Bad(
            "camera port above 65535",
            m -> camera(m, 1).put("url", "rtsp://192.168.0.50:70000/x"),
            "spec.cameras[1].url: Invalid value: \"string\": must be a URL whose port, when"
                + " given, is between 1 and 65535"),
        new Bad(
            "toleration operator that does not exist",
            m -> toleration(m).put("operator", "Maybe"),
            "spec.pipeline.tolerations[0].operator: Unsupported value: \"Maybe\": supported"
                + " values: \"\", \"Equal\", \"Exists\""),
        new Bad(
            "node selector key that is no label key",
            m -> pipeline(m).putObject("nodeSelector").put("bad key!", "x"),
            "spec.pipeline.nodeSelector: Invalid value: \"object\": keys must be label keys"),
        // URLs
        new Bad(
            "camera url with an http scheme",
            m -> camera(m, 0).put("url", "http://192.168.0.50/stream"),
            "spec.cameras[0].url: Invalid value: \"http://192.168.0.50/stream\":"
                + " spec.cameras[0].url in body should match"),
        new Bad(
            "credentials in the camera url",
            m -> camera(m, 0).put("url", "rtsp://admin:hunter2@192.168.0.50/stream"),
            "spec.cameras[0].url: Invalid value: \"object\": url must not contain credentials"),
        new Bad(
            "port 0 on the vision endpoint",
            m -> m.withObject("/spec/vision").put("endpoint", "http://dgx.lan:0"),
            "spec.vision.endpoint: Invalid value: \"string\": must be a URL whose port"),
        new Bad(
            "port out of range on the telegram api",
            m -> m.withObject("/spec/alerts/telegram").put("apiBaseUrl", "http://tg.lan:65536"),
            "spec.alerts.telegram.apiBaseUrl: Invalid value: \"string\": must be a URL whose port"),
        new Bad(
            "port out of range on the dead man's switch",
            m -> m.withObject("/spec/escalation").put("deadMansSwitchUrl", "https://hc:123456/x"),
            "spec.escalation.deadMansSwitchUrl: Invalid value: \"string\": must be a URL whose"
                + " port"),
        new Bad(
            "port out of range on the repository",
            m ->
                m.withObject("/spec/escalation/aiFix/repository")
                    .put("url", "ssh://git@git.lan:99999/homenvr.git"),
            "spec.escalation.aiFix.repository.url: Invalid value: \"string\": must be a URL whose"
                + " port"),
        new Bad(
            "credentials in the repository url",
            m ->
                m.withObject("/spec/escalation/aiFix/repository")
                    .put("url", "https://bob:token@github.com/x/y.git"),
            "spec.escalation.aiFix.repository.url: Invalid value: \"object\": repository.url must"
                + " not contain credentials"),
        // cameras
        new Bad(
            "duplicate camera names",
            m -> camera(m, 1).put("name", "gate"),
            "spec.cameras: Invalid value: \"object\": spec.cameras[].name must be unique"),
        new Bad(
            "no cameras",
            m -> m.withObject("/spec").putArray("cameras"),
            "spec.cameras: Invalid value: 0: spec.cameras in body should have at least 1 items"),
        new Bad(
            "cameras missing",
            m -> m.withObject("/spec").remove("cameras"),
            "spec.cameras: Required value"),
        new Bad(
            "too many cameras",
            m -> {
              ArrayNode cameras = (ArrayNode) m.at("/spec/cameras");
              for (int i = 1; i <= 31; i++) {
                cameras.addObject().put("name", "cam-" + i).put("url", "rtsp://10.0.0." + i + "/s");
              }
            },
            "spec.cameras: Too many: 33: must have at most 32 items"),
        new Bad(
            "camera name that is no DNS label",
            m -> camera(m, 0).put("name", "Front_Door"),
            "spec.cameras[0].name: Invalid value: \"Front_Door\""),
        new Bad(
            "transport that does not exist",
            m -> camera(m, 0).put("transport", "quic"),
            "spec.cameras[0].transport: Unsupported value: \"quic\": supported values: \"tcp\","
                + " \"udp\""),
        // recording
        new Bad(
            "credentials in the record url",
            m -> record(m).put("recordUrl", "rtsp://admin:hunter2@192.168.0.50/stream0"),
            "spec.cameras[0].record.recordUrl: Invalid value: \"object\": record.recordUrl must"
                + " not contain credentials: store them in a Secret"),
        new Bad(
            "record url with an http scheme",
            m -> record(m).put("recordUrl", "http://192.168.0.50/stream0"),
            "spec.cameras[0].record.recordUrl: Invalid value: \"http://192.168.0.50/stream0\":"
                + " spec.cameras[0].record.recordUrl in body should match"),
        new Bad(
            "record url port out of range",
            m -> record(m).put("recordUrl", "rtsp://192.168.0.50:70000/stream0"),
            "spec.cameras[0].record.recordUrl: Invalid value: \"string\": must be a URL whose"
                + " port"),
        new Bad(
            "segment of 1 second",
            m -> record(m).put("segmentSeconds", 1),
            "spec.cameras[0].record.segmentSeconds: Invalid value: 1:"
                + " spec.cameras[0].record.segmentSeconds in body should be greater than or equal"
                + " to 2"),
        new Bad(
            "segment of 61 seconds",
            m -> record(m).put("segmentSeconds", 61),
            "spec.cameras[0].record.segmentSeconds: Invalid value: 61:"
                + " spec.cameras[0].record.segmentSeconds in body should be less than or equal to"
                + " 60"),
        new Bad(
            "record mode that does not exist",
            m -> record(m).put("mode", "always"),
            "spec.cameras[0].record.mode: Unsupported value: \"always\": supported values:"
                + " \"continuous\", \"events\", \"off\""),
        new Bad(
            "pre roll above a minute",
            m -> record(m).put("preRollSeconds", 61),
            "spec.cameras[0].record.preRollSeconds: Invalid value: 61"),
        new Bad(
            "retention of zero days",
            m -> record(m).put("retainDays", 0),
            "spec.cameras[0].record.retainDays: Invalid value: 0"),
        new Bad(
            "recordings limit below 64Mi",
            m -> pipeline(m).withObject("/storage").put("recordingsMaxSize", "10Mi"),
            "spec.pipeline.storage.recordingsMaxSize: Invalid value: \"string\": must be a"
                + " quantity of at least 64Mi"),
        new Bad(
            "offload without a claim",
            m -> pipeline(m).withObject("/storage").putObject("offload").put("retainDays", 30),
            "spec.pipeline.storage.offload.claimName: Required value"),
        new Bad(
            "offload to a claim name that is no Kubernetes name",
            m ->
                pipeline(m)
                    .withObject("/storage")
                    .putObject("offload")
                    .put("claimName", "NAS Clips"),
            "spec.pipeline.storage.offload.claimName: Invalid value: \"NAS Clips\""),
        new Bad(
            "free inodes percent of zero",
            m -> pipeline(m).withObject("/storage").put("minFreeInodesPercent", 0),
            "spec.pipeline.storage.minFreeInodesPercent: Invalid value: 0"),
        // thresholds
        new Bad(
            "zero check interval",
            m -> m.withObject("/spec/health").put("checkIntervalSeconds", 0),
            "spec.health.checkIntervalSeconds: Invalid value: 0:"
                + " spec.health.checkIntervalSeconds in body should be greater than or equal to 1"),
        new Bad(
            "negative frame staleness",
            m -> m.withObject("/spec/health").put("frameStaleSeconds", -5),
            "spec.health.frameStaleSeconds: Invalid value: -5"),
        new Bad(
            "negative restarts",
            m -> m.withObject("/spec/recovery").put("maxRestarts", -1),
            "spec.recovery.maxRestarts: Invalid value: -1"),
        new Bad(
            "a number given as text",
            m -> m.withObject("/spec/health").put("checkIntervalSeconds", "10s"),
            "spec.health.checkIntervalSeconds: Invalid value: \"string\":"
                + " spec.health.checkIntervalSeconds in body must be of type integer"),
        new Bad(
            "grace not longer than the check interval",
            m -> {
              m.withObject("/spec/health").put("checkIntervalSeconds", 30);
              m.withObject("/spec/recovery").put("recoveryGraceSeconds", 30);
            },
            "spec.recovery.recoveryGraceSeconds: Invalid value: \"object\":"
                + " spec.recovery.recoveryGraceSeconds must be greater than"),
        new Bad(
            "an empty transient error pattern",
            m -> ((ArrayNode) m.at("/spec/health/transientErrorPatterns")).add(""),
            "spec.health.transientErrorPatterns: Invalid value: \"array\": must not contain an"
                + " empty pattern"),
        // escalation and alerts
        new Bad(
            "ai fix enabled without a repository",
            m -> m.withObject("/spec/escalation/aiFix").remove("repository"),
            "spec.escalation.aiFix: Invalid value: \"object\": aiFix.enabled needs"
                + " aiFix.repository"),
        new Bad(
            "chat id that is neither a number nor @name",
            m -> m.withObject("/spec/alerts/telegram").put("chatId", "my chat"),
            "spec.alerts.telegram.chatId: Invalid value: \"my chat\""),
        // the pipeline workload
        new Bad(
            "toleration effect that does not exist",
            m -> toleration(m).put("effect", "Sometimes"),
            "spec.pipeline.tolerations[0].effect: Unsupported value: \"Sometimes\""),
        new Bad(
            "node selector value that is no label value",
            m -> pipeline(m).putObject("nodeSelector").put("disk", "fast ssd"),
            "spec.pipeline.nodeSelector.disk: Invalid value: \"fast ssd\":"
                + " spec.pipeline.nodeSelector.disk in body should match"),
        new Bad(
            "node selector key with a prefix longer than 253",
            m -> pipeline(m).putObject("nodeSelector").put("a".repeat(254) + "/disk", "ssd"),
            "spec.pipeline.nodeSelector: Invalid value: \"object\": keys must be label keys"),
        new Bad(
            "resource request that is no quantity",
            m -> pipeline(m).withObject("/resources/requests").put("memory", "lots"),
            "spec.pipeline.resources.requests: Invalid value: \"object\": every request must be a"
                + " quantity"),
        new Bad(
            "resource limit that is no quantity",
            m -> pipeline(m).withObject("/resources/limits").put("cpu", "2 cores"),
            "spec.pipeline.resources.limits: Invalid value: \"object\": every limit must be a"
                + " quantity"),
        new Bad(
            "storage size that is no quantity",
            m -> pipeline(m).withObject("/storage").put("size", "20 GB"),
            "spec.pipeline.storage.size: Invalid value: \"string\": must be a positive quantity"),
        new Bad(
            "storage size that is not positive",
            m -> pipeline(m).withObject("/storage").put("size", "0"),
            "spec.pipeline.storage.size: Invalid value: \"string\": must be a positive quantity"),
        new Bad(
            "image with a space",
            m -> pipeline(m).put("image", "homenvr pipeline"),
            "spec.pipeline.image: Invalid value: \"homenvr pipeline\": spec.pipeline.image in body"
                + " should match"),
        // mqtt
        new Bad(
            "mqtt topic prefix with a single-level wildcard",
            m -> mqtt(m).put("topicPrefix", "home/+/nvr"),
            "spec.mqtt.topicPrefix: Invalid value: \"string\": must not contain the MQTT"
                + " wildcards + or #"),
        new Bad(
            "mqtt topic prefix with a multi-level wildcard",
            m -> mqtt(m).put("topicPrefix", "homenvr/#"),
            "spec.mqtt.topicPrefix: Invalid value: \"string\": must not contain the MQTT"
                + " wildcards + or #"),
        new Bad(
            "mqtt topic prefix with a leading slash",
            m -> mqtt(m).put("topicPrefix", "/homenvr"),
            "spec.mqtt.topicPrefix: Invalid value: \"string\": must not contain the MQTT"
                + " wildcards + or #, nor start or end with /"),
        new Bad(
            "mqtt topic prefix with a trailing slash",
            m -> mqtt(m).put("topicPrefix", "homenvr/"),
            "spec.mqtt.topicPrefix: Invalid value: \"string\": must not contain the MQTT"
                + " wildcards + or #, nor start or end with /"),
        new Bad(
            "mqtt discovery prefix with a wildcard",
            m -> mqtt(m).put("discoveryPrefix", "homeassistant/#"),
            "spec.mqtt.discoveryPrefix: Invalid value: \"string\": must not contain the MQTT"
                + " wildcards"),
        new Bad(
            "mqtt url with credentials",
            m -> mqtt(m).put("url", "mqtt://nvr:hunter2@mosquitto.lan:1883"),
            "spec.mqtt.url: Invalid value: \"object\": spec.mqtt.url must not contain"
                + " credentials"),
        new Bad(
            "mqtt url that is http",
            m -> mqtt(m).put("url", "http://mosquitto.lan:1883"),
            "spec.mqtt.url: Invalid value: \"http://mosquitto.lan:1883\": spec.mqtt.url in body"
                + " should match"),
        new Bad(
            "mqtt ca without tls",
            m -> mqtt(m).putObject("caSecretRef").put("name", "mqtt-ca").put("key", "ca.crt"),
            "spec.mqtt.caSecretRef: Invalid value: \"object\": spec.mqtt.caSecretRef is for TLS"),
        // the object itself
        new Bad(
            "object name that is no DNS subdomain",
            m -> m.withObject("/metadata").put("name", "My Home"),
            "metadata.name: Invalid value: \"My Home\": a lowercase RFC 1123 subdomain"),
        new Bad(
            "object name that starts with a digit",
            m -> m.withObject("/metadata").put("name", "1home"),
            "metadata.name: Invalid value: \"1home\": metadata.name in body should match"
                + " '^[a-z]([-a-z0-9]*[a-z0-9])?$'"),
        new Bad(
            "object name too long for its children's names",
            m -> m.withObject("/metadata").put("name", "a".repeat(46)),
            "metadata.name: Too long: may not be more than 45 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void theApiServerRefusesItNamingTheField(Bad bad) throws IOException {
    ObjectNode monitor = sample();
    String slug = bad.what().replaceAll("[^a-z0-9]+", "-");
    monitor.withObject("/metadata").put("name", slug.substring(0, Math.min(slug.length(), 40)));
    bad.breakIt().accept(monitor);
    String name = monitor.at("/metadata/name").asText();

    KubernetesClientException refused =
        catchThrowableOfType(
            KubernetesClientException.class, () -> monitors().resource(resource(monitor)).create());

    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getStatus().getDetails().getCauses())
        .map(StatusCause::getField)
        .contains(bad.error().substring(0, bad.error().indexOf(':')));
    assertThat(refused.getStatus().getMessage()).contains(bad.error()).doesNotContain("hunter2");
    assertThat(monitors().list().getItems())
        .extracting(stored -> stored.getMetadata().getName())
        .doesNotContain(name);
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      monitors() {
    return client
        .genericKubernetesResources(
            CameraMonitor.GROUP + "/" + CameraMonitor.VERSION, CameraMonitor.KIND)
        .inNamespace(namespace);
  }

  private GenericKubernetesResource resource(ObjectNode monitor) {
    monitor.withObject("/metadata").put("namespace", namespace);
    return YAML.convertValue(monitor, GenericKubernetesResource.class);
  }

  private static ObjectNode sample() throws IOException {
    try (InputStream in = CrdAdmissionTest.class.getResourceAsStream("/samples/full.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    }
  }

  private static ObjectNode mqtt(ObjectNode monitor) {
    return monitor.withObject("/spec/mqtt");
  }

  private static ObjectNode camera(ObjectNode monitor, int index) {
    return (ObjectNode) monitor.at("/spec/cameras/" + index);
  }

  private static ObjectNode record(ObjectNode monitor) {
    return monitor.withObject("/spec/cameras/0/record");
  }

  private static ObjectNode pipeline(ObjectNode monitor) {
    return monitor.withObject("/spec/pipeline");
  }

  private static ObjectNode toleration(ObjectNode monitor) {
    return (ObjectNode) monitor.at("/spec/pipeline/tolerations/0");
  }
}
