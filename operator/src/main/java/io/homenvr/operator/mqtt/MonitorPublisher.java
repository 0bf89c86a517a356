package io.homenvr.operator.mqtt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CameraMonitor's MQTT connection. Its own thread owns the Paho client: connects, publishes and
 * reconnects happen there, never on a reconcile thread, so a broker that is slow or down costs the
 * operator nothing but this thread's time. The latest value of every retained topic is kept and
 * sent again after each connect (a broker restarted without persistence gets it all back). A broker
 * that is down or refuses the login is logged once per distinct reason and retried with capped
 * backoff.
 */
final class MonitorPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MonitorPublisher.class);
  private static final int QOS = 1;
  private static final byte[] ONLINE = MonitorTopics.bytes("online");
  private static final byte[] OFFLINE = MonitorTopics.bytes("offline");

  /** The broker and login, read when connecting (the Secret may change or appear later). */
  record Login(Optional<String> username, Optional<String> password, Optional<String> caPem) {}

  private final String name;
  private final String brokerUrl;
  private final MonitorTopics topics;
  private final Supplier<Login> login;
  private final MqttReporter.Timings timings;
  private final ScheduledExecutorService thread;
  private final MqttClient client;

  // owned by the thread
  private final Map<String, byte[]> retained = new LinkedHashMap<>();
  private boolean connected;
  private boolean closing;
  private ScheduledFuture<?> reconnect;
  private String lastProblem;
  private Duration nextDelay;

  /**
   * @param name namespace/name, for logs and the thread's name
   * @param brokerUrl the spec's mqtt:// or mqtts:// URL (no credentials in it)
   */
  MonitorPublisher(
      String name,
      String brokerUrl,
      MonitorTopics topics,
      Map<String, byte[]> discovery,
      Supplier<Login> login,
      MqttReporter.Timings timings) {
    this.name = name;
    this.brokerUrl = brokerUrl;
    this.topics = topics;
    this.login = login;
    this.timings = timings;
    this.nextDelay = timings.backoffInitial();
    this.retained.putAll(discovery);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mqtt " + name);
              t.setDaemon(true);
              return t;
            });
    // a reconnect still waiting for its time is dropped by close, not waited for
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.thread = executor;
    try {
      // a random suffix: two operator replicas in a hand-over must not kick each other off
      client =
          new MqttClient(
              pahoUrl(brokerUrl),
              "homenvr-operator-" + UUID.randomUUID().toString().substring(0, 8),
              new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("spec.mqtt.url: " + e.getMessage(), e);
    }
    client.setTimeToWait(timings.operationTimeout().toMillis());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            run(() -> onConnectionLost(cause));
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    run(this::connect);
  }

  /** Mqtt users write mqtt:// and mqtts://; Paho knows them as tcp:// and ssl://. */
  static String pahoUrl(String url) {
    return url.replaceFirst("(?i)^mqtts://", "ssl://")
        .replaceFirst("(?i)^mqtt://", "tcp://")
        .replaceFirst("/$", "");
  }

  /** Keeps these retained values and sends those that changed, on the publisher's thread. */
  void publish(Map<String, byte[]> messages) {
    run(
        () -> {
          for (Map.Entry<String, byte[]> message : messages.entrySet()) {
            byte[] previous = retained.put(message.getKey(), message.getValue());
            if (connected && !Arrays.equals(previous, message.getValue())) {
              send(message.getKey(), message.getValue());
            }
          }
        });
  }

  /**
   * Says offline (retained), disconnects cleanly and ends the thread, all on that thread: the
   * caller (a reconcile, perhaps) never waits for a slow broker.
   */
  @Override
  public void close() {
    run(
        () -> {
          closing = true;
          if (reconnect != null) {
            reconnect.cancel(false);
          }
          try {
            if (connected) {
              send(topics.availability(), OFFLINE);
              client.disconnect(timings.operationTimeout().toMillis());
            }
          } catch (MqttException e) {
            log.debug("{}: mqtt disconnect: {}", name, e.getMessage());
          } finally {
            connected = false;
            try {
              client.close(true);
            } catch (MqttException e) {
              log.debug("{}: mqtt close: {}", name, e.getMessage());
            }
          }
        });
    thread.shutdown();
  }

  private void run(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException closed) {
      // closed: nothing more to publish
    }
  }

  private void connect() {
    reconnect = null;
    if (closing || connected) {
      return;
    }
    MqttConnectOptions options;
    try {
      options = options(login.get());
    } catch (RuntimeException e) {
      problem(e.getMessage());
      scheduleReconnect();
      return;
    }
    try {
      client.connect(options);
    } catch (MqttException e) {
      problem(describe(e));
      scheduleReconnect();
      return;
    }
    connected = true;
    nextDelay = timings.backoffInitial();
    log.info(
        "{}: mqtt connected to {} (topics under {}/monitor/)", name, brokerUrl, topics.prefix());
    lastProblem = null;
    // everything again: the broker may have restarted without its retained messages
    send(topics.availability(), ONLINE);
    for (Map.Entry<String, byte[]> message : retained.entrySet()) {
      if (!connected) {
        return;
      }
      send(message.getKey(), message.getValue());
    }
  }

  private void onConnectionLost(Throwable cause) {
    if (closing) {
      return;
    }
    connected = false;
    problem("connection lost: " + (cause == null ? "unknown" : describe(cause)));
    scheduleReconnect();
  }

  /** Logged once per distinct reason: a broker down for hours is one line, not thousands. */
  private void problem(String reason) {
    if (!reason.equals(lastProblem)) {
      log.warn(
          "{}: mqtt broker {}: {}; the operator goes on and keeps retrying (backoff up to {} s)",
          name,
          brokerUrl,
          reason,
          Math.max(1, timings.backoffMax().toSeconds()));
      lastProblem = reason;
    }
  }

  /** At most one reconnect waits at a time (a lost connection and a failed publish both ask). */
  private void scheduleReconnect() {
    if (closing || (reconnect != null && !reconnect.isDone())) {
      return;
    }
    Duration delay = nextDelay;
    Duration doubled = nextDelay.multipliedBy(2);
    nextDelay = doubled.compareTo(timings.backoffMax()) > 0 ? timings.backoffMax() : doubled;
    try {
      reconnect = thread.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // closed meanwhile
    }
  }

  private void send(String topic, byte[] payload) {
    try {
      client.publish(topic, payload, QOS, true);
    } catch (MqttException e) {
      // kept in retained: the next connect sends it
      problem("publish " + topic + ": " + describe(e));
      if (!client.isConnected()) {
        connected = false;
        scheduleReconnect();
      }
    }
  }

  private MqttConnectOptions options(Login login) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false); // ours: with backoff and the retained state re-sent
    options.setConnectionTimeout((int) Math.max(1, timings.operationTimeout().toSeconds()));
    options.setKeepAliveInterval(30);
    options.setWill(topics.availability(), OFFLINE, QOS, true);
    login.username().ifPresent(options::setUserName);
    login.password().ifPresent(p -> options.setPassword(p.toCharArray()));
    login.caPem().ifPresent(pem -> options.setSocketFactory(trusting(pem)));
    return options;
  }

  private static String describe(Throwable e) {
    if (e instanceof MqttException mqtt) {
      return switch (mqtt.getReasonCode()) {
        case MqttException.REASON_CODE_FAILED_AUTHENTICATION,
            MqttException.REASON_CODE_NOT_AUTHORIZED ->
            "the broker refused the credentials (wrong username or password, or not allowed):"
                + " check spec.mqtt.credentialsSecretRef";
        default ->
            mqtt.getCause() != null
                ? mqtt.getMessage() + " (" + mqtt.getCause().getMessage() + ")"
                : mqtt.getMessage();
      };
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** TLS trusting the given PEM certificates only (a broker with a private CA). */
  private static SSLSocketFactory trusting(String pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "spec.mqtt.caSecretRef does not hold PEM certificates (" + e.getMessage() + ")", e);
    }
  }
}
