package io.homenvr.operator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private final Instant now = Instant.parse("2026-03-01T12:00:00Z");

  private static Incident incident() {
    Incident incident = new Incident();
    incident.setId("20260301-120000-g1");
    return incident;
  }

  @Test
  void aReportIsQueuedOncePerIncidentAndKind() {
    CameraMonitorStatus status = new CameraMonitorStatus();
    Incident incident = incident();

    assertThat(
            Outbox.enqueue(status, incident, "NeedsHuman", "help", now, List.of(Channel.TELEGRAM)))
        .isTrue();
    assertThat(
            Outbox.enqueue(status, incident, "NeedsHuman", "help", now, List.of(Channel.TELEGRAM)))
        .isFalse();
    Outbox.delivered(status, "20260301-120000-g1-NeedsHuman");
    assertThat(
            Outbox.enqueue(status, incident, "NeedsHuman", "help", now, List.of(Channel.TELEGRAM)))
        .as("delivered and remembered in notified: never again")
        .isFalse();
    assertThat(status.getOutbox()).isEmpty();
    assertThat(incident.getNotified()).containsExactly("NeedsHuman");
  }

  @Test
  void failuresBackOffAndRetryAfterWins() {
    CameraMonitorStatus status = new CameraMonitorStatus();
    Outbox.enqueue(status, incident(), "FixedByRestart", "fixed", now, List.of(Channel.TELEGRAM));
    String id = "20260301-120000-g1-FixedByRestart";

    Outbox.failed(status, id, "HTTP 500", null, now);
    assertThat(status.getOutbox().get(0).getNextAttemptTime()).isEqualTo("2026-03-01T12:00:05Z");
    assertThat(Outbox.due(status, now.plusSeconds(4))).isEmpty();
    assertThat(Outbox.due(status, now.plusSeconds(5))).hasSize(1);

    Outbox.failed(status, id, "HTTP 500", null, now);
    assertThat(status.getOutbox().get(0).getNextAttemptTime()).isEqualTo("2026-03-01T12:00:10Z");
    Outbox.failed(status, id, "HTTP 429", Duration.ofSeconds(42), now);
    assertThat(status.getOutbox().get(0).getNextAttemptTime()).isEqualTo("2026-03-01T12:00:42Z");
    assertThat(status.getOutbox().get(0).getAttempts()).isEqualTo(3);
    assertThat(Outbox.backoff(20)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void telegramAnswersAreReadAsTheBotApiDefinesThem() {
    assertThat(TelegramClient.interpret(200, "{\"ok\":true,\"result\":{}}").delivered()).isTrue();
    SendResult throttled =
        TelegramClient.interpret(
            429,
            "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}");
    assertThat(throttled.delivered()).isFalse();
    assertThat(throttled.retryAfter()).hasSeconds(7);
    assertThat(throttled.error()).contains("429", "Too Many Requests");
    assertThat(TelegramClient.interpret(502, "<html>bad gateway</html>").error())
        .isEqualTo("HTTP 502 without a Bot API answer");
    assertThat(TelegramClient.interpret(200, "{\"ok\":false}").delivered()).isFalse();
  }
}
