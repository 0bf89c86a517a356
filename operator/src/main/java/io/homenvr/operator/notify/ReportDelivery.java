package io.homenvr.operator.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.api.v1alpha1.spec.EscalationSpec;
import io.homenvr.api.v1alpha1.spec.NtfySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.WebhookSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.secrets.Redactor;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the due reports of an outbox, channel by channel, oldest first, and takes each out only
 * when its channel confirmed it. Within a channel it stops at the first failure (that channel down
 * or throttling affects all its reports); the other channels go on.
 */
public class ReportDelivery {
  private static final Logger log = LoggerFactory.getLogger(ReportDelivery.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TelegramClient telegram;
  private final NtfyClient ntfy;
  private final WebhookClient webhook;
  private final Clock clock;

  public ReportDelivery(
      TelegramClient telegram, NtfyClient ntfy, WebhookClient webhook, Clock clock) {
    this.telegram = telegram;
    this.ntfy = ntfy;
    this.webhook = webhook;
    this.clock = clock;
  }

  /** Sends one report's (already redacted) text on one channel. */
  @FunctionalInterface
  private interface Sender {
    SendResult send(Report report, String text);
  }

  /** A channel ready to send, or why it cannot (a missing Secret), and the token to mask. */
  private record Ready(Sender sender, String token, String problem) {}

  /**
   * Delivers what is due in {@code status.outbox}, changing that outbox in place: delivered entries
   * out, failed ones with their next attempt; entries of a channel the spec no longer has are
   * dropped.
   *
   * @return how many reports were delivered
   */
  public int deliver(CameraMonitorStatus status, Destinations destinations, Redactor redactor) {
    if (status.getOutbox().isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    Map<Channel, List<Report>> due = new LinkedHashMap<>();
    for (Channel channel : Channel.values()) {
      List<Report> mine =
          Outbox.due(status, now).stream().filter(r -> Channel.of(r) == channel).toList();
      if (!mine.isEmpty()) {
        due.put(channel, mine);
      }
    }
    int delivered = 0;
    for (Map.Entry<Channel, List<Report>> entry : due.entrySet()) {
      Channel channel = entry.getKey();
      List<Report> reports = entry.getValue();
      if (!Channel.configured(destinations.escalation()).contains(channel)) {
        log.info(
            "{}/{}: dropping {} report(s) for {}: no longer configured",
            destinations.namespace(),
            destinations.monitor(),
            reports.size(),
            channel.id());
        reports.forEach(r -> Outbox.delivered(status, r.getId()));
        continue;
      }
      Ready ready = ready(channel, destinations);
      if (ready.problem() != null) {
        reports.forEach(r -> Outbox.failed(status, r.getId(), ready.problem(), null, now));
        continue;
      }
      for (Report report : reports) {
        SendResult result = ready.sender().send(report, redactor.redact(report.getText()));
        if (!result.delivered()) {
          String error = redactor.redact(result.error());
          if (ready.token() != null) {
            error = error.replace(ready.token(), Redactor.MASK);
          }
          for (Report pending : reports.subList(reports.indexOf(report), reports.size())) {
            Outbox.failed(status, pending.getId(), error, result.retryAfter(), now);
          }
          break;
        }
        Outbox.delivered(status, report.getId());
        delivered++;
      }
    }
    return delivered;
  }

  private Ready ready(Channel channel, Destinations destinations) {
    EscalationSpec escalation = destinations.escalation();
    return switch (channel) {
      case TELEGRAM -> {
        TelegramSpec spec = escalation.getTelegram();
        Optional<String> token = destinations.readSecret().apply(spec.getBotTokenSecretRef());
        if (token.isEmpty()) {
          yield missing(spec.getBotTokenSecretRef(), "escalation.telegram.botTokenSecretRef");
        }
        yield new Ready(
            (report, text) ->
                telegram.sendMessage(spec.getApiBaseUrl(), token.get(), spec.getChatId(), text),
            token.get(),
            null);
      }
      case NTFY -> {
        NtfySpec spec = escalation.getNtfy();
        Optional<String> token = optionalSecret(spec.getTokenSecretRef(), destinations);
        if (token == null) {
          yield missing(spec.getTokenSecretRef(), "escalation.ntfy.tokenSecretRef");
        }
        String value = token.orElse(null);
        yield new Ready(
            (report, text) ->
                ntfy.publish(
                    spec.getServerUrl(),
                    spec.getTopic(),
                    value,
                    ntfyMessage(report, text, destinations)),
            value,
            null);
      }
      case WEBHOOK -> {
        WebhookSpec spec = escalation.getWebhook();
        Optional<String> token = optionalSecret(spec.getTokenSecretRef(), destinations);
        if (token == null) {
          yield missing(spec.getTokenSecretRef(), "escalation.webhook.tokenSecretRef");
        }
        String header = token.isPresent() ? spec.getTokenHeader() : null;
        String value =
            token
                .map(t -> "authorization".equalsIgnoreCase(header) ? "Bearer " + t : t)
                .orElse(null);
        yield new Ready(
            (report, text) ->
                webhook.post(
                    spec.getUrl(),
                    report.getId(),
                    webhookBody(report, text, destinations),
                    header,
                    value),
            token.orElse(null),
            null);
      }
    };
  }

  /** Empty without a reference; null when the reference names a missing Secret or key. */
  private static Optional<String> optionalSecret(SecretKeyRef ref, Destinations destinations) {
    if (ref == null) {
      return Optional.empty();
    }
    Optional<String> value = destinations.readSecret().apply(ref);
    return value.isPresent() ? value : null;
  }

  private static Ready missing(SecretKeyRef ref, String field) {
    return new Ready(
        null,
        null,
        "no token: Secret %s key %s is missing (%s)".formatted(ref.getName(), ref.getKey(), field));
  }

  /** Title, priority and an emoji tag per kind: a human asked to act hears it louder. */
  static NtfyClient.Message ntfyMessage(Report report, String text, Destinations destinations) {
    String kind = report.getKind() == null ? "" : report.getKind();
    int priority =
        switch (kind) {
          case Reports.NEEDS_HUMAN -> 5;
          case Reports.DEPENDENCY_DOWN -> 4;
          case Reports.DIGEST -> 2;
          default -> 3;
        };
    String tags =
        switch (kind) {
          case Reports.NEEDS_HUMAN -> "rotating_light,homenvr";
          case Reports.DEPENDENCY_DOWN -> "warning,homenvr";
          case Reports.AI_FIX_APPLIED -> "robot,homenvr";
          case Reports.DIGEST -> "calendar,homenvr";
          default -> "white_check_mark,homenvr";
        };
    String title =
        "homenvr %s/%s: %s"
            .formatted(destinations.namespace(), destinations.monitor(), words(kind))
            .replaceAll("[^\\x20-\\x7e]", "?");
    return new NtfyClient.Message(title, priority, tags, text);
  }

  /** {@code NeedsHuman} → {@code needs human}. */
  private static String words(String kind) {
    return kind.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }

  static String webhookBody(Report report, String text, Destinations destinations) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", report.getId());
    body.put("kind", report.getKind());
    body.put("incident", report.getIncident());
    body.put("monitor", destinations.monitor());
    body.put("namespace", destinations.namespace());
    body.put("text", text);
    body.put("createdAt", report.getCreatedAt());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException("report JSON", impossible);
    }
  }
}
