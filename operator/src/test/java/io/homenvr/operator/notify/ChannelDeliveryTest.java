package io.homenvr.operator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.NtfySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.WebhookSpec;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Report;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.StandInTelegram;
import io.homenvr.operator.notify.testing.StandInReceiver;
import io.homenvr.operator.secrets.Redactor;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram, ntfy and a webhook as local stand-ins, reached through the real delivery thread: each
 * channel gets each report once, an outage of one holds up no other, and neither a restart of the
 * operator nor a recovering channel sends a confirmed report again. Each round is what a
 * reconciliation does: hand over the stored status, take the outcomes into the next one.
 */
class ChannelDeliveryTest {
  private static final String BOT_TOKEN = "123:bot-secret";
  private static final String NTFY_TOKEN = "tk_ntfysecret";
  private static final String HOOK_TOKEN = "hook-secret";
  private static final String HOOK_PATH = "/api/webhook/s3cr3t-hook-id";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> secrets = new HashMap<>();
  private final List<NotificationExecutor> executors = new ArrayList<>();
  private StandInTelegram telegram;
  private StandInReceiver ntfy;
  private StandInReceiver webhook;
  private CameraMonitor monitor;
  private CameraMonitorStatus status;
  private Incident incident;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new StandInTelegram(BOT_TOKEN);
    ntfy = new StandInReceiver("Bearer " + NTFY_TOKEN);
    webhook = new StandInReceiver("Bearer " + HOOK_TOKEN);
    monitor = Monitors.withTelegram(Monitors.monitor("gate"), telegram.apiBaseUrl());
    monitor.getMetadata().setUid("uid-1");
    NtfySpec ntfySpec = new NtfySpec();
    ntfySpec.setServerUrl(ntfy.baseUrl());
    ntfySpec.setTopic("homenvr-alerts");
    ntfySpec.setTokenSecretRef(new SecretKeyRef("ntfy", "token"));
    monitor.getSpec().getEscalation().setNtfy(ntfySpec);
    WebhookSpec webhookSpec = new WebhookSpec();
    webhookSpec.setUrl(webhook.baseUrl() + HOOK_PATH);
    webhookSpec.setTokenSecretRef(new SecretKeyRef("hook", "token"));
    monitor.getSpec().getEscalation().setWebhook(webhookSpec);
    secrets.put("telegram/token", BOT_TOKEN);
    secrets.put("ntfy/token", NTFY_TOKEN);
    secrets.put("hook/token", HOOK_TOKEN);
    status = new CameraMonitorStatus();
    incident = new Incident();
    incident.setId("20260301-120000-g1");
    status.getIncidents().add(incident);
  }

  @AfterEach
  void tearDown() {
    executors.forEach(NotificationExecutor::close);
    telegram.close();
    ntfy.close();
    webhook.close();
  }

  /** A fresh executor, as after an operator (re)start. */
  private NotificationExecutor executor() {
    NotificationExecutor executor =
        new NotificationExecutor(
            new ReportDelivery(
                new TelegramClient(http, Duration.ofSeconds(5)),
                new NtfyClient(http, Duration.ofSeconds(5)),
                new WebhookClient(http, Duration.ofSeconds(5)),
                clock),
            delivered -> {});
    executors.add(executor);
    return executor;
  }

  private void queue(String kind, String text) {
    Outbox.enqueue(
        status,
        incident,
        kind,
        text,
        clock.instant(),
        Channel.configured(monitor.getSpec().getEscalation()));
  }

  /** One reconciliation's share: deliver from the stored status, then take the outcomes. */
  private void round(NotificationExecutor executor) {
    executor.submit(
        monitor,
        JSON.clone(status),
        new Destinations(
            "nvr",
            "home",
            monitor.getSpec().getEscalation(),
            ref -> Optional.ofNullable(secrets.get(ref.getName() + "/" + ref.getKey()))),
        Redactor.shapesOnly());
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> executor.takeOutcomes(monitor, status));
  }

  private List<String> waiting() {
    return status.getOutbox().stream().map(Report::getId).toList();
  }

  @Test
  void aTelegramOutageHoldsUpNeitherNtfyNorTheWebhookAndNothingIsSentTwice() throws Exception {
    NotificationExecutor executor = executor();
    telegram.mode(StandInTelegram.Mode.DOWN);
    queue("NeedsHuman", "camera gate: restarts did not help");

    assertThat(waiting())
        .containsExactly(
            "20260301-120000-g1-NeedsHuman",
            "20260301-120000-g1-NeedsHuman-ntfy",
            "20260301-120000-g1-NeedsHuman-webhook");
    round(executor);

    assertThat(waiting()).containsExactly("20260301-120000-g1-NeedsHuman");
    Report failed = status.getOutbox().get(0);
    assertThat(failed.getAttempts()).isEqualTo(1);
    assertThat(failed.getNextAttemptTime()).isEqualTo("2026-03-01T12:00:05Z");
    assertThat(failed.getLastError()).contains("500").doesNotContain(BOT_TOKEN);

    StandInReceiver.Request published = ntfy.accepted().get(0);
    assertThat(published.path()).isEqualTo("/homenvr-alerts");
    assertThat(published.body()).isEqualTo("camera gate: restarts did not help");
    assertThat(published.header("Title")).isEqualTo("homenvr nvr/home: needs human");
    assertThat(published.header("Priority")).isEqualTo("5");
    assertThat(published.header("Tags")).isEqualTo("rotating_light,homenvr");

    StandInReceiver.Request posted = webhook.accepted().get(0);
    assertThat(posted.path()).isEqualTo(HOOK_PATH);
    assertThat(posted.header("Content-Type")).isEqualTo("application/json");
    assertThat(posted.header("Idempotency-Key")).isEqualTo("20260301-120000-g1-NeedsHuman-webhook");
    JsonNode body = MAPPER.readTree(posted.body());
    assertThat(body.path("kind").asText()).isEqualTo("NeedsHuman");
    assertThat(body.path("incident").asText()).isEqualTo("20260301-120000-g1");
    assertThat(body.path("monitor").asText()).isEqualTo("home");
    assertThat(body.path("namespace").asText()).isEqualTo("nvr");
    assertThat(body.path("text").asText()).isEqualTo("camera gate: restarts did not help");

    // Telegram still down: the next report reaches ntfy and the webhook at once
    queue("Recovered", "camera gate: healthy again");
    round(executor);
    assertThat(ntfy.accepted()).extracting(StandInReceiver.Request::body).hasSize(2);
    assertThat(webhook.accepted()).hasSize(2);
    assertThat(waiting())
        .containsExactly("20260301-120000-g1-NeedsHuman", "20260301-120000-g1-Recovered");

    // Telegram back, the operator restarted in between: Telegram gets both, in order; the others
    // confirmed theirs in the stored status and get nothing again
    telegram.mode(StandInTelegram.Mode.OK);
    clock.advanceSeconds(10);
    round(executor());

    assertThat(telegram.delivered())
        .containsExactly("camera gate: restarts did not help", "camera gate: healthy again");
    assertThat(ntfy.accepted()).hasSize(2);
    assertThat(webhook.accepted()).hasSize(2);
    assertThat(status.getOutbox()).isEmpty();
    assertThat(incident.getNotified()).containsExactly("NeedsHuman", "Recovered");
  }

  @Test
  void aThrottlingNtfyAndADownWebhookRecoverOnTheirOwnWhileTelegramDelivers() throws Exception {
    NotificationExecutor executor = executor();
    ntfy.mode(StandInReceiver.Mode.THROTTLE);
    ntfy.retryAfterSeconds(30);
    webhook.mode(StandInReceiver.Mode.DOWN);
    queue("DependencyDown", "camera yard is down");

    round(executor);

    assertThat(telegram.delivered()).containsExactly("camera yard is down");
    Report throttled = status.getOutbox().get(0);
    Report down = status.getOutbox().get(1);
    assertThat(throttled.getId()).endsWith("-ntfy");
    assertThat(throttled.getChannel()).isEqualTo("ntfy");
    assertThat(throttled.getNextAttemptTime())
        .as("Retry-After wins")
        .isEqualTo("2026-03-01T12:00:30Z");
    assertThat(throttled.getLastError()).contains("429", "limit reached");
    assertThat(down.getChannel()).isEqualTo("webhook");
    assertThat(down.getNextAttemptTime()).isEqualTo("2026-03-01T12:00:05Z");
    assertThat(down.getLastError())
        .contains("503", "127.0.0.1")
        .as("a webhook's path can be its secret")
        .doesNotContain("s3cr3t-hook-id", HOOK_TOKEN);

    // the webhook is back: it delivers when its backoff ends; ntfy still waits for its retry_after
    webhook.mode(StandInReceiver.Mode.OK);
    ntfy.mode(StandInReceiver.Mode.OK);
    clock.advanceSeconds(5);
    round(executor);
    assertThat(webhook.accepted()).hasSize(1);
    assertThat(ntfy.accepted()).isEmpty();
    assertThat(waiting()).containsExactly("20260301-120000-g1-DependencyDown-ntfy");

    clock.advanceSeconds(25);
    round(executor);
    assertThat(ntfy.accepted()).hasSize(1);
    assertThat(ntfy.accepted().get(0).header("Priority")).isEqualTo("4");
    assertThat(telegram.delivered()).hasSize(1);
    assertThat(webhook.accepted()).hasSize(1);
    assertThat(status.getOutbox()).isEmpty();
  }

  @Test
  void aMissingTokenSecretFailsOnlyItsChannelAndARemovedChannelsReportsAreDropped()
      throws Exception {
    secrets.remove("ntfy/token");
    monitor.getSpec().getEscalation().getWebhook().setTokenSecretRef(null);
    webhook.close();
    webhook = new StandInReceiver(null);
    monitor.getSpec().getEscalation().getWebhook().setUrl(webhook.baseUrl() + HOOK_PATH);
    queue("FixedByRestart", "fixed by a restart");

    round(executor());

    assertThat(telegram.delivered()).hasSize(1);
    assertThat(webhook.accepted()).hasSize(1);
    assertThat(webhook.accepted().get(0).header("Authorization")).isNull();
    assertThat(waiting()).containsExactly("20260301-120000-g1-FixedByRestart-ntfy");
    assertThat(status.getOutbox().get(0).getLastError())
        .isEqualTo("no token: Secret ntfy key token is missing (escalation.ntfy.tokenSecretRef)");

    // the user drops ntfy instead of fixing its Secret: its waiting report goes, unsent
    monitor.getSpec().getEscalation().setNtfy(null);
    clock.advanceSeconds(5);
    round(executor());
    assertThat(status.getOutbox()).isEmpty();
    assertThat(ntfy.accepted()).isEmpty();
  }
}
