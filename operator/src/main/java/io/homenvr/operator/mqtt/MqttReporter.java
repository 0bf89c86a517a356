package io.homenvr.operator.mqtt;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.MqttSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.secrets.SecretValues;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes each CameraMonitor's phase and open incident to its {@code spec.mqtt} broker, retained,
 * with Home Assistant discovery: called after each status write with the stored status, it only
 * hands the values over (each CameraMonitor's connection has its own thread) and returns at once.
 */
public class MqttReporter implements AutoCloseable {
  /**
   * @param backoffInitial first wait before reconnecting, doubled per failure up to backoffMax
   * @param operationTimeout longest a connect or a publish may take
   */
  public record Timings(Duration backoffInitial, Duration backoffMax, Duration operationTimeout) {
    public static final Timings DEFAULTS =
        new Timings(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10));
  }

  /** A publisher and the spec it was made for: another spec means another connection. */
  private record Connection(MqttSpec spec, MonitorPublisher publisher) {}

  private final SecretValues secrets;
  private final Timings timings;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  public MqttReporter(SecretValues secrets, Timings timings) {
    this.secrets = secrets;
    this.timings = timings;
  }

  /** The CameraMonitor's state as just stored; nothing when it has no {@code spec.mqtt}. */
  public void report(CameraMonitor monitor, CameraMonitorStatus stored, Phase phase) {
    String uid = monitor.getMetadata().getUid();
    MqttSpec spec = monitor.getSpec().getMqtt();
    Connection connection = connections.get(uid);
    if (connection != null && !same(connection.spec(), spec)) {
      connections.remove(uid);
      connection.publisher().close();
      connection = null;
    }
    if (spec == null) {
      return;
    }
    if (connection == null) {
      connection = new Connection(copy(spec), connect(monitor, spec));
      connections.put(uid, connection);
    }
    MonitorTopics topics = new MonitorTopics(spec.getTopicPrefix());
    connection.publisher().publish(MonitorState.of(stored, phase).messages(topics));
  }

  /** A deleted CameraMonitor's connection is closed (it says offline first). */
  public void forget(CameraMonitor monitor) {
    Connection connection = connections.remove(monitor.getMetadata().getUid());
    if (connection != null) {
      connection.publisher().close();
    }
  }

  @Override
  public void close() {
    connections.values().forEach(c -> c.publisher().close());
    connections.clear();
  }

  private MonitorPublisher connect(CameraMonitor monitor, MqttSpec spec) {
    String namespace = monitor.getMetadata().getNamespace();
    String name = monitor.getMetadata().getName();
    MonitorTopics topics = new MonitorTopics(spec.getTopicPrefix());
    Map<String, byte[]> discovery =
        Boolean.FALSE.equals(spec.getHomeAssistantDiscovery())
            ? Map.of()
            : topics.discovery(spec.getDiscoveryPrefix(), namespace, name);
    MqttSpec fixed = copy(spec);
    return new MonitorPublisher(
        namespace + "/" + name,
        spec.getUrl(),
        topics,
        discovery,
        () -> login(namespace, fixed),
        timings);
  }

  /** Read on the publisher's thread at each connect: a fixed Secret is picked up by itself. */
  private MonitorPublisher.Login login(String namespace, MqttSpec spec) {
    CredentialsRef credentials = spec.getCredentialsSecretRef();
    Optional<String> username = Optional.empty();
    Optional<String> password = Optional.empty();
    if (credentials != null) {
      username =
          secrets.read(
              namespace, new SecretKeyRef(credentials.getName(), credentials.getUsernameKey()));
      password =
          secrets.read(
              namespace, new SecretKeyRef(credentials.getName(), credentials.getPasswordKey()));
      if (username.isEmpty() || password.isEmpty()) {
        throw new IllegalStateException(
            "Secret %s lacks key %s or %s (spec.mqtt.credentialsSecretRef)"
                .formatted(
                    credentials.getName(),
                    credentials.getUsernameKey(),
                    credentials.getPasswordKey()));
      }
    }
    Optional<String> ca = Optional.empty();
    if (spec.getCaSecretRef() != null) {
      ca = secrets.read(namespace, spec.getCaSecretRef());
      if (ca.isEmpty()) {
        throw new IllegalStateException(
            "Secret %s lacks key %s (spec.mqtt.caSecretRef)"
                .formatted(spec.getCaSecretRef().getName(), spec.getCaSecretRef().getKey()));
      }
    }
    return new MonitorPublisher.Login(username, password, ca);
  }

  private static boolean same(MqttSpec a, MqttSpec b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getUrl(), b.getUrl())
        && Objects.equals(a.getTopicPrefix(), b.getTopicPrefix())
        && Objects.equals(a.getHomeAssistantDiscovery(), b.getHomeAssistantDiscovery())
        && Objects.equals(a.getDiscoveryPrefix(), b.getDiscoveryPrefix())
        && Objects.equals(ref(a.getCredentialsSecretRef()), ref(b.getCredentialsSecretRef()))
        && Objects.equals(a.getCaSecretRef(), b.getCaSecretRef());
  }

  private static String ref(CredentialsRef ref) {
    return ref == null
        ? null
        : ref.getName() + "/" + ref.getUsernameKey() + "/" + ref.getPasswordKey();
  }

  /** The spec as it is now (the informer's object may be replaced, never edited, but be safe). */
  private static MqttSpec copy(MqttSpec spec) {
    MqttSpec copy = new MqttSpec();
    copy.setUrl(spec.getUrl());
    copy.setTopicPrefix(spec.getTopicPrefix());
    copy.setHomeAssistantDiscovery(spec.getHomeAssistantDiscovery());
    copy.setDiscoveryPrefix(spec.getDiscoveryPrefix());
    copy.setCredentialsSecretRef(spec.getCredentialsSecretRef());
    copy.setCaSecretRef(spec.getCaSecretRef());
    return copy;
  }
}
