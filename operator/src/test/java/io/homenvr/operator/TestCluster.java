package io.homenvr.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.config.OperatorConfig;
import io.homenvr.operator.reconciler.CameraMonitorReconciler;
import io.homenvr.testing.RealCluster;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A test's view of the real control plane ({@link RealCluster}: kube-apiserver, etcd and
 * kube-controller-manager, shared by the JVM) with the CameraMonitor CRD installed: namespaces of
 * its own, and the production operator started the way main starts it. {@link #close()} stops the
 * operators it started and deletes its namespaces.
 */
public final class TestCluster implements AutoCloseable {
  public static final String PIPELINE_IMAGE = "homenvr-pipeline:test";
  public static final String AIFIX_IMAGE = "homenvr-aifix:test";

  private static boolean crdInstalled;

  private final RealCluster cluster;
  private final List<String> namespaces = new ArrayList<>();
  private final List<HomenvrOperator> operators = new ArrayList<>();

  private TestCluster() {
    cluster = RealCluster.shared();
    synchronized (TestCluster.class) {
      if (!crdInstalled) {
        cluster.installCrd(crd());
        crdInstalled = true;
      }
    }
  }

  public static TestCluster start() {
    return new TestCluster();
  }

  public RealCluster real() {
    return cluster;
  }

  /** A cluster-admin client (shared: do not close). */
  public KubernetesClient client() {
    return cluster.admin();
  }

  /**
   * A started operator running {@code reconciler} in {@code namespace} through {@code client} (left
   * open when the operator stops); the caller stops it.
   */
  public static Operator startOperator(
      KubernetesClient client, CameraMonitorReconciler reconciler, String namespace) {
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(reconciler, controller -> controller.settingNamespaces(namespace));
    operator.start();
    return operator;
  }

  /** A new namespace of this test's, Pod Security restricted; its name starts with prefix. */
  public String namespace(String prefix) {
    String name = cluster.createNamespace(prefix);
    namespaces.add(name);
    return name;
  }

  /** The production operator, as main starts it (all namespaces, no leader election). */
  public HomenvrOperator startOperator(Clock clock) {
    return startOperator(config(Set.of(), false), clock);
  }

  public static OperatorConfig config(Set<String> watchNamespaces, boolean leaderElection) {
    return new OperatorConfig(
        watchNamespaces,
        leaderElection,
        "homenvr-operator",
        Optional.empty(),
        "test",
        0,
        "",
        PIPELINE_IMAGE,
        AIFIX_IMAGE);
  }

  public HomenvrOperator startOperator(OperatorConfig config, Clock clock) {
    try {
      HomenvrOperator operator = HomenvrOperator.start(config, cluster.newAdminClient(), clock);
      operators.add(operator);
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CameraMonitor create(CameraMonitor monitor) {
    return client().resource(monitor).create();
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
              client()
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
    return client()
        .resource(
            new SecretBuilder()
                .withMetadata(
                    new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
                .withData(data)
                .build())
        .create();
  }

  /** The committed CRD when the crds jar has it, else the one crd-generator wrote. */
  public static CustomResourceDefinition crd() {
    String file = CameraMonitor.CRD_NAME + "-v1.yml";
    ClassLoader loader = TestCluster.class.getClassLoader();
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

  /**
   * Stops this test's operators, then deletes its CameraMonitors (no finalizers: at once, so no
   * later operator sees them) and its namespaces (the namespace controller empties them).
   */
  @Override
  public void close() {
    operators.forEach(HomenvrOperator::close);
    for (String namespace : namespaces) {
      client().resources(CameraMonitor.class).inNamespace(namespace).delete();
      client().namespaces().withName(namespace).delete();
    }
  }
}
