package io.homenvr.operator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.homenvr.operator.notify.DeadMansSwitch.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead man's switch against a stand-in ping service (JDK HttpServer on loopback). */
class DeadMansSwitchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String MONITOR = "nvr/home";
  private static final Instant CHECK = Instant.parse("2026-11-23T07:30:00Z");

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int answer = 200;
  private volatile boolean hang;
  private HttpServer server;
  private DeadMansSwitch deadMansSwitch;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    deadMansSwitch = new DeadMansSwitch(HttpClient.newHttpClient(), TIMEOUT);
  }

  @AfterEach
  void stop() {
    release.countDown();
    deadMansSwitch.close();
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    if (hang) {
      try {
        release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/ping/5f1e-secret-uuid";
  }

  private Outcome ping(Instant check) {
    return deadMansSwitch.ping(MONITOR, url(), check).join();
  }

  @Test
  void eachHealthyCheckIsPingedOnceWithAGet() {
    assertThat(ping(CHECK)).isEqualTo(Outcome.OK);
    assertThat(ping(CHECK)).as("the same check, reconciled again").isEqualTo(Outcome.SKIPPED);
    assertThat(ping(CHECK.plusSeconds(10))).isEqualTo(Outcome.OK);

    assertThat(requests)
        .containsExactly("GET /ping/5f1e-secret-uuid", "GET /ping/5f1e-secret-uuid");
  }

  @Test
  void aDeletedMonitorLeavesNothingBehindAndStartsAfreshIfRecreated() {
    assertThat(ping(CHECK)).isEqualTo(Outcome.OK);
    deadMansSwitch.forget(MONITOR);
    assertThat(ping(CHECK)).as("a new CameraMonitor of the same name").isEqualTo(Outcome.OK);
    assertThat(requests).hasSize(2);
  }

  @Test
  void aFailingUrlIsReportedWhenItStartsFailingAndWhenItIsBackNotEveryCheck() {
    answer = 500;
    assertThat(ping(CHECK)).isEqualTo(Outcome.FAILED);
    assertThat(ping(CHECK.plusSeconds(10))).isEqualTo(Outcome.STILL_FAILING);
    assertThat(ping(CHECK.plusSeconds(20))).isEqualTo(Outcome.STILL_FAILING);

    answer = 200;
    assertThat(ping(CHECK.plusSeconds(30))).isEqualTo(Outcome.RECOVERED);
    assertThat(ping(CHECK.plusSeconds(40))).isEqualTo(Outcome.OK);

    server.stop(0);
    assertThat(ping(CHECK.plusSeconds(50))).as("connection refused").isEqualTo(Outcome.FAILED);
    assertThat(requests).hasSize(5);
  }

  @Test
  void aHangingUrlNeverHoldsTheCallerAndTimesOut() {
    hang = true;

    CompletableFuture<Outcome> first = deadMansSwitch.ping(MONITOR, url(), CHECK);
    assertThat(first).as("ping returns before the server answers").isNotDone();
    await().atMost(DEADLINE).until(() -> requests.size() == 1);
    assertThat(deadMansSwitch.ping(MONITOR, url(), CHECK.plusSeconds(1)))
        .as("the next check while one is under way: not piled up")
        .isCompletedWithValue(Outcome.SKIPPED);

    await().atMost(DEADLINE).until(first::isDone);
    assertThat(first.join()).as("after the 1 s timeout").isEqualTo(Outcome.FAILED);
    hang = false;
    release.countDown();
    assertThat(ping(CHECK.plusSeconds(2))).isEqualTo(Outcome.RECOVERED);
  }

  @Test
  void logsNameTheHostNotThePathThatLetsAnyonePing() {
    assertThat(DeadMansSwitch.hostOf("https://hc-ping.com/5f1e-secret-uuid"))
        .isEqualTo("https://hc-ping.com");
  }
}
