package io.homenvr.operator.notify;

import io.homenvr.api.v1alpha1.spec.EscalationSpec;
import io.homenvr.api.v1alpha1.status.Report;
import java.util.ArrayList;
import java.util.List;

/**
 * A way to reach the human. A report goes to every configured channel as one outbox entry each, so
 * each channel confirms, fails and backs off on its own: Telegram down never holds up ntfy.
 */
public enum Channel {
  TELEGRAM("telegram", ""),
  NTFY("ntfy", "-ntfy"),
  WEBHOOK("webhook", "-webhook");

  private final String id;
  private final String idSuffix;

  Channel(String id, String idSuffix) {
    this.id = id;
    this.idSuffix = idSuffix;
  }

  /** As written in {@code status.outbox[].channel}. */
  public String id() {
    return id;
  }

  /**
   * The outbox id of a report on this channel: Telegram's keeps the id reports had before there
   * were other channels, so an outbox stored by an older operator is delivered once, not again.
   */
  String reportId(String base) {
    return base + idSuffix;
  }

  /** The channel of an outbox entry; one without a channel was queued for Telegram. */
  public static Channel of(Report report) {
    for (Channel channel : values()) {
      if (channel.id.equals(report.getChannel())) {
        return channel;
      }
    }
    return TELEGRAM;
  }

  /** The channels the spec configures, in delivery order. */
  public static List<Channel> configured(EscalationSpec escalation) {
    List<Channel> channels = new ArrayList<>();
    if (escalation == null) {
      return channels;
    }
    if (escalation.getTelegram() != null) {
      channels.add(TELEGRAM);
    }
    if (escalation.getNtfy() != null) {
      channels.add(NTFY);
    }
    if (escalation.getWebhook() != null) {
      channels.add(WEBHOOK);
    }
    return channels;
  }

  /** Whether any report can reach a human at all. */
  public static boolean anyConfigured(EscalationSpec escalation) {
    return !configured(escalation).isEmpty();
  }
}
