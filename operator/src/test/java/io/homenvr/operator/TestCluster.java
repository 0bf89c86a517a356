package io.homenvr.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * fabric8's mock API server in CRUD mode with the CameraMonitor CRD installed, and the production
 * operator started against it (leader election off, HTTP on a free port).
 */
public final class MockCluster implements AutoCloseable {
  public static final String PIPELINE_IMAGE = "homenvr-pipeline:test";
  public static final String AIFIX_IMAGE = "homenvr-aifix:test";

  /** The mock server logs every request through java.util.logging; keep test output readable. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockCluster() {
    // CRUD for everything, plus canned answers where a test sets them up (see allowLeases)
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    client = server.createClient();
    client.apiextensions().v1().customResourceDefinitions().resource(crd()).create();
  }

  public static MockCluster start() {
    return new MockCluster();
  }

  /**
   * Answers the permission check JOSDK makes before leader election (a SelfSubjectRulesReview,
   * which the mock cannot evaluate): this operator may do anything with Leases.
   */
  public void allowLeases() {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
  }

  public KubernetesClient client() {
    return client;
  }

  /** The production operator, as main starts it, on its own client. */
  public HomenvrOperator startOperator(Clock clock) {
    return startOperator(
        new OperatorConfig(
            Set.of(),
            false,
            "homenvr-operator",
            Optional.empty(),
            "test",
            0,
            PIPELINE_IMAGE,
            AIFIX_IMAGE),
        clock);
  }

  public HomenvrOperator startOperator(OperatorConfig config, Clock clock) {
    try {
      return HomenvrOperator.start(config, server.createClient(), clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CameraMonitor create(CameraMonitor monitor) {
    return client.resource(monitor).create();
  }

  /**
   * Edits a CameraMonitor as a user would with kubectl edit: read, change, write, and again on a
   * conflict (the operator may have just written its status).
   */
  public void editMonitor(String namespace, String name, Consumer<CameraMonitor> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              client
                  .resources(CameraMonitor.class)
                  .inNamespace(namespace)
                  .withName(name)
                  .edit(
                      monitor -> {
                        change.accept(monitor);
                        return monitor;
                      });
              return true;
            });
  }

  public Secret createSecret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return client
        .resource(
            new SecretBuilder()
                .withMetadata(
                    new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
                .withData(data)
                .build())
        .create();
  }

  /** The committed CRD when the crds jar has it, else the one crd-generator wrote. */
  static CustomResourceDefinition crd() {
    String file = CameraMonitor.CRD_NAME + "-v1.yml";
    ClassLoader loader = MockCluster.class.getClassLoader();
    InputStream in =
        Optional.ofNullable(loader.getResourceAsStream(file))
            .orElseGet(() -> loader.getResourceAsStream("META-INF/fabric8/" + file));
    if (in == null) {
      throw new IllegalStateException(file + " is not on the test classpath; build crds first");
    }
    try (in) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
