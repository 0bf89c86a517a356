package io.homenvr.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.operator.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a CameraMonitor, the kind {@code kubectl describe} and {@code kubectl
 * get events} show. Callers emit once per transition; this class never retries, since a lost Event
 * must not fail a reconciliation.
 */
public class EventRecorder {
  public static final String COMPONENT = "homenvr-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  /** Normal for what homenvr did, Warning for what a human may need to look at. */
  public enum Type {
    Normal,
    Warning
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final String instance;

  public EventRecorder(
      KubernetesClient client, Clock clock, OperatorMetrics metrics, String instance) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.instance = instance;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, Type.Normal, reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, Type.Warning, reason, message);
  }

  public void record(HasMetadata about, Type type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(eventName(about))
            .withNamespace(about.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(about.getMetadata().getName())
            .withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid())
            .withResourceVersion(about.getMetadata().getResourceVersion())
            .endInvolvedObject()
            .withType(type.name())
            .withReason(reason)
            .withMessage(text)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    log.info(
        "{}/{}: {} {}: {}",
        about.getMetadata().getNamespace(),
        about.getMetadata().getName(),
        type,
        reason,
        text);
    metrics.eventRecorded(type.name(), reason);
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record Event {} for {}/{}: {}",
          reason,
          about.getMetadata().getNamespace(),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Like kubectl's: the object's name and a unique hex suffix. */
  private String eventName(HasMetadata about) {
    return about.getMetadata().getName()
        + "."
        + Long.toHexString(clock.millis())
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }
}
