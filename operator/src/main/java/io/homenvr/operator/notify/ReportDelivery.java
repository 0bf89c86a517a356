package io.homenvr.operator.notify;

import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.secrets.Redactor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends the due reports of an outbox, oldest first, and takes each out only when Telegram answered
 * {@code ok:true}. Stops at the first failure: Telegram down or throttling affects them all.
 */
public class ReportDelivery {
  private final TelegramClient telegram;
  private final Clock clock;

  public ReportDelivery(TelegramClient telegram, Clock clock) {
    this.telegram = telegram;
    this.clock = clock;
  }

  /**
   * Delivers what is due in {@code status.outbox}, changing that outbox in place.
   *
   * @param readToken reads the bot token from its Secret now (empty when it is missing)
   * @return how many reports were delivered
   */
  public int deliver(
      CameraMonitorStatus status,
      TelegramSpec spec,
      Function<TelegramSpec, Optional<String>> readToken,
      Redactor redactor) {
    if (spec == null || status.getOutbox().isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    List<Report> due = Outbox.due(status, now);
    if (due.isEmpty()) {
      return 0;
    }
    Optional<String> token = readToken.apply(spec);
    if (token.isEmpty()) {
      for (Report report : due) {
        Outbox.failed(
            status,
            report.getId(),
            "no bot token: Secret %s key %s is missing (escalation.telegram.botTokenSecretRef)"
                .formatted(
                    spec.getBotTokenSecretRef().getName(), spec.getBotTokenSecretRef().getKey()),
            null,
            now);
      }
      return 0;
    }
    int delivered = 0;
    for (Report report : due) {
      TelegramClient.Result result =
          telegram.sendMessage(
              spec.getApiBaseUrl(),
              token.get(),
              spec.getChatId(),
              redactor.redact(report.getText()));
      if (!result.delivered()) {
        String error = redactor.redact(result.error()).replace(token.get(), Redactor.MASK);
        for (Report pending : due.subList(due.indexOf(report), due.size())) {
          Outbox.failed(status, pending.getId(), error, result.retryAfter(), now);
        }
        return delivered;
      }
      Outbox.delivered(status, report.getId());
      delivered++;
    }
    return delivered;
  }
}
