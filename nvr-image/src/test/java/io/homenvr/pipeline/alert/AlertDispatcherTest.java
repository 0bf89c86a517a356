package io.homenvr.pipeline.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import io.homenvr.pipeline.config.PipelineConfig.TelegramConfig;
import io.homenvr.pipeline.storage.DiskUsage;
import io.homenvr.pipeline.storage.RetentionPolicy;
import io.homenvr.pipeline.storage.SnapshotStore;
import io.homenvr.pipeline.testing.LogCapture;
import io.homenvr.pipeline.testing.StandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery to a stand-in Telegram Bot API speaking sendPhoto, 429 retry_after and 500. */
class AlertDispatcherTest {
  private static final String TOKEN = "123456:SECRET-token-never-logged";
  private static final AlertDispatcher.Delivery FAST =
      new AlertDispatcher.Delivery(4, 4, Duration.ofMillis(50), Duration.ofMillis(200));

  @TempDir Path data;

  private final ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();

  private SnapshotStore store;

  private SnapshotStore store() {
    if (store == null) {
      store = newStore();
    }
    return store;
  }

  private SnapshotStore newStore() {
    return new SnapshotStore(
        data,
        new RetentionPolicy(Duration.ofDays(7), Long.MAX_VALUE, 0, 0),
        Clock.systemUTC(),
        path -> new DiskUsage(100, 50, 100, 50));
  }

  private AlertDispatcher dispatcher(StandIn telegram) {
    return new AlertDispatcher(
        store(),
        Optional.of(new TelegramConfig(telegram.baseUrl(), "42", TOKEN)),
        FAST,
        Clock.systemUTC(),
        ZoneOffset.UTC);
  }

  private static Alert alert(String camera, String description) {
    return new Alert(
        camera,
        Instant.parse("2026-02-21T10:00:00Z"),
        description,
        DecidedBy.VISION_LLM,
        new byte[] {1, 2, 3});
  }

  /** Records the multipart body and answers like the Bot API. */
  private void accept(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(exchange.getRequestURI().getPath()).isEqualTo("/bot" + TOKEN + "/sendPhoto");
    assertThat(exchange.getRequestHeaders().getFirst("Content-Type"))
        .startsWith("multipart/form-data; boundary=");
    assertThat(body).contains("name=\"chat_id\"\r\n\r\n42\r\n").contains("name=\"photo\"");
    delivered.add(body);
    StandIn.respond(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":1}}");
  }

  @Test
  void sendsThePhotoWithCameraTimeAndDescriptionInTheCaption() throws Exception {
    try (StandIn telegram = new StandIn("/", this::accept);
        AlertDispatcher alerts = dispatcher(telegram)) {
      alerts.raise(
          new Alert(
              "gate",
              Instant.parse("2026-02-21T10:00:00Z"),
              "person",
              DecidedBy.LOCAL_DETECTOR_LLM_DOWN,
              new byte[] {1}));
      await().atMost(Duration.ofSeconds(5)).until(() -> alerts.status().sent() == 1);
      String body = delivered.peek();
      String caption =
          new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      assertThat(caption)
          .contains(
              "gate · 2026-02-21 10:00:00\nperson (local detector)\n(unverified: vision LLM down)");
      assertThat(alerts.status().pending()).isZero();
      assertThat(alerts.status().lastSentAt()).isNotNull();
      assertThat(store().status().snapshotFiles()).isEqualTo(1);
    }
  }

  @Test
  void theCaptionSaysWhoDecidedAndCallsOnlyAnLlmOutageUnverified() {
    Instant at = Instant.parse("2026-02-21T10:00:00Z");
    assertThat(
            new Alert("gate", at, "a courier", DecidedBy.VISION_LLM, new byte[0])
                .caption(ZoneOffset.UTC))
        .isEqualTo("gate · 2026-02-21 10:00:00\na courier");
    assertThat(
            new Alert("gate", at, "person", DecidedBy.LOCAL_DETECTOR, new byte[0])
                .caption(ZoneOffset.UTC))
        .isEqualTo("gate · 2026-02-21 10:00:00\nperson (local detector)");
    assertThat(
            new Alert("gate", at, "person", DecidedBy.LOCAL_DETECTOR_LLM_DOWN, new byte[0])
                .caption(ZoneOffset.UTC))
        .isEqualTo(
            "gate · 2026-02-21 10:00:00\nperson (local detector)\n(unverified: vision LLM down)");
  }

  @Test
  void closingEndsAPendingTwoMinuteBackoffAtOnce() throws Exception {
    AlertDispatcher.Delivery slowRetries =
        new AlertDispatcher.Delivery(4, 6, Duration.ofMinutes(2), Duration.ofMinutes(2));
    AtomicInteger calls = new AtomicInteger();
    try (LogCapture logs = new LogCapture();
        StandIn telegram =
            new StandIn(
                "/",
                exchange -> {
                  calls.incrementAndGet();
                  exchange.getRequestBody().readAllBytes();
                  StandIn.respond(
                      exchange,
                      500,
                      "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");
                })) {
      AlertDispatcher alerts =
          new AlertDispatcher(
              store(),
              Optional.of(new TelegramConfig(telegram.baseUrl(), "42", TOKEN)),
              slowRetries,
              Clock.systemUTC(),
              ZoneOffset.UTC);
      alerts.raise(alert("gate", "person"));
      alerts.raise(alert("yard", "person"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> logs.text().contains("retry 2 in 120000 ms"));
      long start = System.nanoTime();
      alerts.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(logs.text())
          .contains(
              "2 alert(s) not sent to Telegram: pipeline stopping (their snapshots are saved)");
      assertThat(calls.get()).isEqualTo(1);
      assertThat(alerts.status().failed()).isZero();
    }
  }

  @Test
  void honoursRetryAfterOn429() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    long[] firstAt = new long[1];
    long[] secondAt = new long[1];
    try (StandIn telegram =
            new StandIn(
                "/",
                exchange -> {
                  if (calls.incrementAndGet() == 1) {
                    firstAt[0] = System.nanoTime();
                    exchange.getRequestBody().readAllBytes();
                    StandIn.respond(
                        exchange,
                        429,
                        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests:"
                            + " retry after 1\",\"parameters\":{\"retry_after\":1}}");
                  } else {
                    secondAt[0] = System.nanoTime();
                    accept(exchange);
                  }
                });
        AlertDispatcher alerts = dispatcher(telegram)) {
      alerts.raise(alert("gate", "person"));
      await().atMost(Duration.ofSeconds(5)).until(() -> alerts.status().sent() == 1);
      assertThat(Duration.ofNanos(secondAt[0] - firstAt[0]))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(alerts.status().failed()).isZero();
    }
  }

  @Test
  void retriesServerErrorsAndLosesNothingWithinTheQueueBoundWhileTelegramIsDown() throws Exception {
    CountDownLatch telegramBack = new CountDownLatch(1);
    AtomicInteger errors = new AtomicInteger();
    try (LogCapture logs = new LogCapture();
        StandIn telegram =
            new StandIn(
                "/",
                exchange -> {
                  if (telegramBack.getCount() > 0 && errors.incrementAndGet() <= 2) {
                    exchange.getRequestBody().readAllBytes();
                    StandIn.respond(
                        exchange,
                        500,
                        "{\"ok\":false,\"error_code\":500,"
                            + "\"description\":\"Internal Server Error "
                            + TOKEN
                            + "\"}");
                    return;
                  }
                  try {
                    // Telegram hangs until the test lets it answer: alerts pile up meanwhile
                    telegramBack.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  accept(exchange);
                });
        AlertDispatcher alerts = dispatcher(telegram)) {
      alerts.raise(alert("a", "first"));
      await().atMost(Duration.ofSeconds(5)).until(() -> errors.get() >= 3);
      for (String camera : List.of("b", "c", "d", "e")) {
        alerts.raise(alert(camera, "queued"));
      }
      assertThat(alerts.status().pending()).isEqualTo(5);
      assertThat(alerts.status().dropped()).isZero();
      telegramBack.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.status().sent() == 5);
      assertThat(alerts.status().failed()).isZero();
      assertThat(alerts.status().lastError()).doesNotContain(TOKEN).contains("***");
      assertThat(logs.text()).contains("retry 2").doesNotContain(TOKEN);
    }
  }

  @Test
  void dropsTheOldestWhenTheQueueIsFullAndGivesUpOnPermanentErrors() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (StandIn telegram =
            new StandIn(
                "/",
                exchange -> {
                  exchange.getRequestBody().readAllBytes();
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  StandIn.respond(
                      exchange,
                      400,
                      "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
                });
        AlertDispatcher alerts = dispatcher(telegram)) {
      alerts.raise(alert("in-flight", "x"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  alerts.status().pending() == 1
                      && alerts.status().sent() + alerts.status().failed() == 0);
      long start = System.nanoTime();
      for (int i = 0; i < 6; i++) {
        alerts.raise(alert("cam" + i, "x"));
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(alerts.status().dropped()).isEqualTo(2);
      assertThat(alerts.status().pending()).isEqualTo(5);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.status().failed() == 5);
      assertThat(alerts.status().lastError()).contains("chat not found");
    }
  }
}
