package io.homenvr.pipeline.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.pipeline.alert.DecidedBy;
import io.homenvr.pipeline.config.PipelineConfig.MqttConfig;
import io.homenvr.pipeline.config.Urls;
import io.homenvr.pipeline.vision.VisionVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
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
 * Publishes the pipeline's state and detections to an MQTT broker, with Home Assistant discovery.
 *
 * <p>One thread ({@code mqtt}) owns the client: every publish, connect and reconnect happens on it,
 * so a slow or absent broker never holds up a camera, the analysis or the vision stage. The latest
 * value of every retained topic is kept and sent again after each (re)connect, so a broker
 * restarted without persistence gets the whole state back; events published while disconnected wait
 * in a bounded queue. A broker that is down or refuses the credentials is reported in {@code
 * /status} and retried with capped backoff: never a reason to stop the pipeline.
 */
public final class MqttPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QOS = 1;
  private static final int MAX_PENDING_EVENTS = 100;
  private static final byte[] ONLINE = bytes("online");
  private static final byte[] OFFLINE = bytes("offline");

  /**
   * @param poll how often camera state, fps and recording are read
   * @param motionOff how long after the last motion or detection motion goes OFF and counts to 0
   * @param backoffInitial first wait before reconnecting, doubled per failure up to backoffMax
   * @param operationTimeout longest a connect or a publish may take
   */
  public record Timings(
      Duration poll,
      Duration motionOff,
      Duration backoffInitial,
      Duration backoffMax,
      Duration operationTimeout) {
    public static final Timings DEFAULTS =
        new Timings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10));
  }

  private record Event(String topic, byte[] payload) {}

  private final MqttConfig config;
  private final MqttTopics topics;
  private final Supplier<List<CameraReport>> cameras;
  private final Timings timings;
  private final Clock clock;
  private final MqttClient client;
  private final MqttConnectOptions options;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread t = new Thread(runnable, "mqtt");
            t.setDaemon(true);
            return t;
          });

  // owned by the mqtt thread
  private final Map<String, byte[]> retained = new LinkedHashMap<>();
  private final Deque<Event> pending = new ArrayDeque<>();
  private final Map<String, ScheduledFuture<?>> quietTimers = new HashMap<>();
  private final Map<String, Set<String>> countedObjects = new HashMap<>();
  private boolean closing;
  private Duration nextDelay;

  private volatile boolean connected;
  private volatile Instant connectedAt;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile int pendingEvents;
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long attempts;

  public MqttPublisher(
      MqttConfig config,
      List<String> cameraNames,
      Supplier<List<CameraReport>> cameras,
      Timings timings,
      Clock clock) {
    this.config = config;
    this.topics = new MqttTopics(config.topicPrefix());
    this.cameras = cameras;
    this.timings = timings;
    this.clock = clock;
    this.nextDelay = timings.backoffInitial();
    try {
      // a random suffix: an old pod still shutting down must not kick the new one off the broker
      String clientId =
          "homenvr-"
              + MqttTopics.label(config.topicPrefix())
              + "-"
              + UUID.randomUUID().toString().substring(0, 8);
      client = new MqttClient(config.url(), clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("mqtt.url: " + e.getMessage(), e);
    }
    client.setTimeToWait(timings.operationTimeout().toMillis());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            thread.execute(() -> onConnectionLost(cause));
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    options = options(config, timings);
    if (config.homeAssistantDiscovery()) {
      retained.putAll(
          HomeAssistantDiscovery.configs(config.discoveryPrefix(), topics, cameraNames));
    }
  }

  public void start() {
    thread.execute(this::connect);
    long poll = timings.poll().toMillis();
    thread.scheduleWithFixedDelay(this::publishCameras, 0, poll, TimeUnit.MILLISECONDS);
  }

  /** A motion event: motion ON until the camera has been quiet for {@code motionOff}. */
  public void motion(String camera) {
    thread.execute(
        () -> {
          retain(topics.motion(camera), bytes("ON"));
          rearmQuietTimer(camera);
        });
  }

  /**
   * What the vision stage decided about a motion event: the objects seen (counts per label), the
   * picture as the camera's snapshot and one message on {@code <prefix>/events} with the verdict:
   * {@code verified} (the vision LLM), {@code local} (the local detector, no LLM configured) or
   * {@code unverified} (the local detector standing in for a failing LLM).
   */
  public void detected(String camera, Instant at, VisionVerdict verdict, byte[] photoJpeg) {
    thread.execute(
        () -> {
          Map<String, Integer> counts = new TreeMap<>();
          for (String seen : verdict.seen()) {
            String label = MqttTopics.label(seen);
            if (!label.isEmpty()) {
              counts.merge(label, 1, Integer::sum);
            }
          }
          counts.forEach(
              (label, count) -> retain(topics.object(camera, label), bytes(count.toString())));
          countedObjects.computeIfAbsent(camera, c -> new TreeSet<>()).addAll(counts.keySet());
          if (!counts.isEmpty() && photoJpeg != null) {
            retain(topics.snapshot(camera), photoJpeg);
          }
          ObjectNode event = JSON.createObjectNode();
          event.put("camera", camera);
          event.put("at", at.toString());
          counts.keySet().forEach(event.putArray("objects")::add);
          event.put("alert", verdict.alert());
          event.put("description", verdict.description());
          event.put("verdict", verdict(verdict.decidedBy()));
          event.put("snapshotTopic", counts.isEmpty() ? null : topics.snapshot(camera));
          publishEvent(topics.events(), json(event));
          rearmQuietTimer(camera);
        });
  }

  public MqttStatus status() {
    return new MqttStatus(
        Urls.redact(config.url()),
        connected,
        connectedAt,
        lastError,
        lastErrorAt,
        reconnects.get(),
        published.get(),
        pendingEvents,
        dropped.get());
  }

  public MqttTopics topics() {
    return topics;
  }

  /** Says {@code offline} (retained) and disconnects cleanly, so the last will is not sent. */
  @Override
  public void close() {
    if (thread.isShutdown()) {
      return;
    }
    try {
      thread
          .submit(
              () -> {
                closing = true;
                if (connected) {
                  send(topics.availability(), OFFLINE, true);
                  try {
                    client.disconnect(timings.operationTimeout().toMillis());
                  } catch (MqttException e) {
                    log.debug("mqtt disconnect: {}", e.getMessage());
                  }
                  connected = false;
                }
              })
          .get(2 * timings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("mqtt did not close cleanly: {}", e.toString());
    } finally {
      thread.shutdownNow();
      try {
        client.close(true);
      } catch (MqttException e) {
        log.debug("mqtt close: {}", e.getMessage());
      }
    }
  }

  private void connect() {
    if (closing || connected) {
      return;
    }
    if (attempts++ > 0) {
      reconnects.incrementAndGet();
    }
    try {
      client.connect(options);
    } catch (MqttException e) {
      String reason = describe(e);
      if (!reason.equals(lastError)) {
        log.warn("mqtt broker {}: {}; retrying", Urls.redact(config.url()), reason);
      }
      failed(reason);
      scheduleReconnect();
      return;
    }
    connected = true;
    connectedAt = clock.instant();
    nextDelay = timings.backoffInitial();
    log.info("mqtt connected to {} (topics under {}/)", Urls.redact(config.url()), topics.prefix());
    // the whole retained state again: the broker may have restarted without persistence
    send(topics.availability(), ONLINE, true);
    for (Map.Entry<String, byte[]> entry : retained.entrySet()) {
      if (!connected) {
        return;
      }
      send(entry.getKey(), entry.getValue(), true);
    }
    while (connected && !pending.isEmpty()) {
      Event event = pending.peekFirst();
      if (send(event.topic(), event.payload(), false)) {
        pending.removeFirst();
      }
    }
    pendingEvents = pending.size();
  }

  private void onConnectionLost(Throwable cause) {
    if (closing) {
      return;
    }
    connected = false;
    connectedAt = null;
    String reason = "connection lost: " + (cause == null ? "unknown" : describe(cause));
    log.warn("mqtt broker {}: {}; reconnecting", Urls.redact(config.url()), reason);
    failed(reason);
    scheduleReconnect();
  }

  /** Capped exponential backoff, reset by a successful connect. */
  private void scheduleReconnect() {
    Duration delay = nextDelay;
    Duration doubled = nextDelay.multipliedBy(2);
    nextDelay = doubled.compareTo(timings.backoffMax()) > 0 ? timings.backoffMax() : doubled;
    thread.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void publishCameras() {
    try {
      for (CameraReport camera : cameras.get()) {
        retain(topics.state(camera.name()), bytes(state(camera)));
        retain(topics.fps(camera.name()), bytes(String.format(Locale.ROOT, "%.1f", camera.fps())));
        retain(topics.recording(camera.name()), bytes(camera.recording() ? "ON" : "OFF"));
      }
    } catch (RuntimeException e) {
      // a throwing scheduled task is never run again: camera state must keep being published
      log.warn("mqtt camera state failed", e);
    }
  }

  private static String state(CameraReport camera) {
    return switch (camera.state()) {
      case STREAMING -> "streaming";
      case CONNECTING -> "connecting";
      case BACKOFF, STOPPED -> "down";
    };
  }

  private static String verdict(DecidedBy decidedBy) {
    return switch (decidedBy) {
      case VISION_LLM -> "verified";
      case LOCAL_DETECTOR -> "local";
      case LOCAL_DETECTOR_LLM_DOWN -> "unverified";
    };
  }

  private void rearmQuietTimer(String camera) {
    ScheduledFuture<?> previous = quietTimers.remove(camera);
    if (previous != null) {
      previous.cancel(false);
    }
    quietTimers.put(
        camera,
        thread.schedule(
            () -> {
              quietTimers.remove(camera);
              retain(topics.motion(camera), bytes("OFF"));
              for (String label : countedObjects.getOrDefault(camera, Set.of())) {
                retain(topics.object(camera, label), bytes("0"));
              }
            },
            timings.motionOff().toMillis(),
            TimeUnit.MILLISECONDS));
  }

  /** Keeps the topic's latest value (sent again after a reconnect) and sends it when it changed. */
  private void retain(String topic, byte[] payload) {
    byte[] previous = retained.put(topic, payload);
    if (connected && !Arrays.equals(previous, payload)) {
      send(topic, payload, true);
    }
  }

  private void publishEvent(String topic, byte[] payload) {
    if (connected && pending.isEmpty() && send(topic, payload, false)) {
      return;
    }
    if (pending.size() >= MAX_PENDING_EVENTS) {
      pending.removeFirst();
      dropped.incrementAndGet();
    }
    pending.addLast(new Event(topic, payload));
    pendingEvents = pending.size();
  }

  private boolean send(String topic, byte[] payload, boolean retain) {
    try {
      client.publish(topic, payload, QOS, retain);
      published.incrementAndGet();
      return true;
    } catch (MqttException e) {
      // the value stays in the retained map or the queue; the next connect sends it
      failed("publish " + topic + ": " + describe(e));
      if (!client.isConnected()) {
        connected = false;
      }
      return false;
    }
  }

  private void failed(String reason) {
    lastError = reason;
    lastErrorAt = clock.instant();
  }

  private static String describe(Throwable e) {
    if (e instanceof MqttException mqtt) {
      return switch (mqtt.getReasonCode()) {
        case MqttException.REASON_CODE_FAILED_AUTHENTICATION,
            MqttException.REASON_CODE_NOT_AUTHORIZED ->
            "the broker refused the credentials (wrong username or password, or not allowed):"
                + " check the credentials Secret";
        default ->
            mqtt.getCause() != null
                ? mqtt.getMessage() + " (" + mqtt.getCause().getMessage() + ")"
                : mqtt.getMessage();
      };
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static MqttConnectOptions options(MqttConfig config, Timings timings) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false); // ours: with backoff and the retained state re-sent
    options.setConnectionTimeout((int) Math.max(1, timings.operationTimeout().toSeconds()));
    options.setKeepAliveInterval(30);
    options.setWill(new MqttTopics(config.topicPrefix()).availability(), OFFLINE, QOS, true);
    config.username().ifPresent(options::setUserName);
    config.password().ifPresent(p -> options.setPassword(p.toCharArray()));
    config.caFile().ifPresent(ca -> options.setSocketFactory(trusting(ca)));
    return options;
  }

  /** TLS trusting the given PEM certificates only (a broker with a private CA). */
  private static javax.net.ssl.SSLSocketFactory trusting(java.nio.file.Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
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
          "mqtt.caFile: cannot read " + caFile + " as PEM certificates (" + e.getMessage() + ")",
          e);
    }
  }

  private static byte[] json(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event JSON", e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
