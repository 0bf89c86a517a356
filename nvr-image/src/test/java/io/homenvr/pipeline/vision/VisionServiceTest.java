package io.homenvr.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.homenvr.pipeline.alert.Alert;
import io.homenvr.pipeline.alert.DecidedBy;
import io.homenvr.pipeline.config.PipelineConfig.VisionApi;
import io.homenvr.pipeline.config.PipelineConfig.VisionConfig;
import io.homenvr.pipeline.motion.MotionEvent;
import io.homenvr.pipeline.testing.MutableClock;
import io.homenvr.pipeline.testing.StandIn;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The vision stage against stand-ins speaking Ollama's /api/chat and OpenAI's chat API. */
class VisionServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] CROP = {(byte) 0xff, (byte) 0xd8, 1, 2};
  private static final String PERSON =
      "{\"seen\":[\"person\"],\"alert\":true,\"description\":\"a person at the gate\"}";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-02-21T10:00:00Z"));
  private final ConcurrentLinkedQueue<Alert> alerts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
  private final AtomicReference<String> behaviour = new AtomicReference<>("ok");
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private VisionService vision;

  @AfterEach
  void close() {
    releaseSlow.countDown();
    if (vision != null) {
      vision.close();
    }
  }

  /** Ollama's documented non-streaming chat answer, the model's JSON in message.content. */
  private void ollama(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    requests.add(request);
    switch (behaviour.get()) {
      case "fail" -> StandIn.respond(exchange, 500, "{\"error\":\"model runner crashed\"}");
      case "slow" -> {
        try {
          releaseSlow.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        StandIn.respond(exchange, 200, ollamaAnswer(PERSON));
      }
      default -> StandIn.respond(exchange, 200, ollamaAnswer(PERSON));
    }
  }

  private static String ollamaAnswer(String content) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("model", "gemma3:27b").put("created_at", "2026-02-21T10:00:01.000Z");
    answer.putObject("message").put("role", "assistant").put("content", content);
    answer.put("done", true).put("done_reason", "stop").put("total_duration", 1_200_000_000L);
    return answer.toString();
  }

  private VisionService service(StandIn server, VisionApi api, Duration timeout, int queue) {
    return service(server, api, timeout, queue, Duration.ofSeconds(30));
  }

  private VisionService service(
      StandIn server, VisionApi api, Duration timeout, int queue, Duration breakerOpenFor) {
    vision =
        new VisionService(
            Optional.of(new HttpVisionClient(config(server, api, timeout))),
            Optional.of(api),
            jpeg -> true,
            new CircuitBreaker(clock, 3, breakerOpenFor),
            1,
            queue,
            alerts::add,
            (event, verdict) -> {},
            clock);
    return vision;
  }

  private static VisionConfig config(StandIn server, VisionApi api, Duration timeout) {
    return new VisionConfig(
        api, server.baseUrl(), "gemma3:27b", timeout, 1, 8, Optional.of("sk-test"));
  }

  private static MotionEvent event(String camera) {
    return new MotionEvent(camera, Instant.parse("2026-02-21T10:00:00Z"), CROP, new byte[] {9});
  }

  @Test
  void asksOllamaWithTheCropAndASchemaAndAlertsOnItsVerdict() throws Exception {
    try (StandIn server = new StandIn("/api/chat", this::ollama)) {
      service(server, VisionApi.OLLAMA, Duration.ofSeconds(5), 8).submit(event("gate"));
      await().atMost(Duration.ofSeconds(5)).until(() -> alerts.size() == 1);
      Alert alert = alerts.peek();
      assertThat(alert.decidedBy()).isEqualTo(DecidedBy.VISION_LLM);
      assertThat(alert.caption(ZoneOffset.UTC)).endsWith("\na person at the gate");
      assertThat(alert.description()).isEqualTo("a person at the gate");
      assertThat(alert.photoJpeg()).containsExactly(9);
      JsonNode request = requests.peek();
      assertThat(request.path("model").asText()).isEqualTo("gemma3:27b");
      assertThat(request.path("stream").asBoolean(true)).isFalse();
      assertThat(request.path("format").path("required").toString())
          .contains("seen", "alert", "description");
      JsonNode message = request.path("messages").path(0);
      assertThat(message.path("role").asText()).isEqualTo("user");
      assertThat(message.path("images").path(0).asText())
          .isEqualTo(Base64.getEncoder().encodeToString(CROP));
      VisionStatus status = vision.status();
      assertThat(status.mode()).isEqualTo("llm");
      assertThat(status.reachable()).isTrue();
      assertThat(status.lastLatencyMs()).isNotNull();
      assertThat(status.api()).isEqualTo("ollama");
    }
  }

  @Test
  void slowIsNotDownButTheQueueStaysBoundedAndDropsTheOldest() throws Exception {
    behaviour.set("slow");
    try (StandIn server = new StandIn("/api/chat", this::ollama)) {
      service(server, VisionApi.OLLAMA, Duration.ofSeconds(20), 2);
      vision.submit(event("slow"));
      await().atMost(Duration.ofSeconds(5)).until(() -> vision.status().inFlight() == 1);
      vision.submit(event("a"));
      vision.submit(event("b"));
      vision.submit(event("c"));
      assertThat(vision.status().queueDepth()).isEqualTo(2);
      assertThat(vision.status().dropped()).isEqualTo(1);
      assertThat(vision.busyWith("slow")).isTrue();
      assertThat(vision.busyWith("a")).isFalse();
      releaseSlow.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 3);
      assertThat(alerts).extracting(Alert::camera).containsExactly("slow", "b", "c");
      assertThat(vision.status().failuresTotal()).isZero();
      assertThat(vision.status().mode()).isEqualTo("llm");
    }
  }

  @Test
  void failingLlmOpensTheBreakerFallsBackUnverifiedAndRecovers() throws Exception {
    behaviour.set("fail");
    try (StandIn server = new StandIn("/api/chat", this::ollama)) {
      service(server, VisionApi.OLLAMA, Duration.ofSeconds(5), 8);
      for (int i = 0; i < 4; i++) {
        vision.submit(event("gate"));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 4);
      assertThat(requests).hasSize(3);
      assertThat(alerts)
          .allSatisfy(
              alert -> assertThat(alert.decidedBy()).isEqualTo(DecidedBy.LOCAL_DETECTOR_LLM_DOWN));
      assertThat(alerts.peek().caption(ZoneOffset.UTC))
          .endsWith("\nperson (local detector)\n(unverified: vision LLM down)");
      VisionStatus down = vision.status();
      assertThat(down.mode()).isEqualTo("fallback");
      assertThat(down.breaker()).isEqualTo("OPEN");
      assertThat(down.reachable()).isFalse();
      assertThat(down.lastError()).contains("HTTP 500");
      assertThat(down.fallbacksTotal()).isEqualTo(4);

      behaviour.set("ok");
      clock.advance(Duration.ofSeconds(31));
      vision.submit(event("gate"));
      await().atMost(Duration.ofSeconds(5)).until(() -> alerts.size() == 5);
      assertThat(alerts)
          .last()
          .satisfies(alert -> assertThat(alert.decidedBy()).isEqualTo(DecidedBy.VISION_LLM));
      assertThat(vision.status().mode()).isEqualTo("llm");
      assertThat(vision.status().breaker()).isEqualTo("CLOSED");
    }
  }

  @Test
  void anUnreachableOrTimedOutLlmCountsAsAFailure() throws Exception {
    StandIn gone = new StandIn("/api/chat", this::ollama);
    gone.close();
    service(gone, VisionApi.OLLAMA, Duration.ofSeconds(5), 8).submit(event("gate"));
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 1);
    assertThat(vision.status().lastError()).startsWith("unreachable");
    vision.close();

    behaviour.set("slow");
    try (StandIn server = new StandIn("/api/chat", this::ollama)) {
      service(server, VisionApi.OLLAMA, Duration.ofSeconds(1), 8).submit(event("gate"));
      await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 2);
      assertThat(vision.status().lastError()).isEqualTo("no answer within 1 s");
      assertThat(alerts)
          .last()
          .satisfies(
              alert -> assertThat(alert.decidedBy()).isEqualTo(DecidedBy.LOCAL_DETECTOR_LLM_DOWN));
    }
  }

  @Test
  void speaksOpenAiCompatibleChatCompletions() throws Exception {
    AtomicReference<String> authorization = new AtomicReference<>();
    try (StandIn server =
        new StandIn(
            "/v1/chat/completions",
            exchange -> {
              authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
              requests.add(JSON.readTree(exchange.getRequestBody()));
              ObjectNode answer = JSON.createObjectNode().put("object", "chat.completion");
              answer
                  .putArray("choices")
                  .addObject()
                  .put("index", 0)
                  .put("finish_reason", "stop")
                  .putObject("message")
                  .put("role", "assistant")
                  .put("content", "{\"seen\":[\"cat\"],\"alert\":false,\"description\":\"a cat\"}");
              StandIn.respond(exchange, 200, answer.toString());
            })) {
      service(server, VisionApi.OPENAI, Duration.ofSeconds(5), 8).submit(event("gate"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> vision.status().requestsTotal() == 1 && vision.status().inFlight() == 0);
      assertThat(alerts).isEmpty();
      assertThat(authorization.get()).isEqualTo("Bearer sk-test");
      JsonNode request = requests.peek();
      assertThat(request.path("response_format").path("type").asText()).isEqualTo("json_schema");
      assertThat(request.at("/messages/0/content/1/image_url/url").asText())
          .startsWith("data:image/jpeg;base64,");
      assertThat(vision.status().reachable()).isTrue();
    }
  }

  @Test
  void withoutAVisionBlockTheLocalDetectorDecidesByDesignNotAsAFallback() {
    vision =
        new VisionService(
            Optional.empty(),
            Optional.empty(),
            jpeg -> true,
            new CircuitBreaker(clock, 3, Duration.ofSeconds(30)),
            1,
            8,
            alerts::add,
            (event, verdict) -> {},
            clock);
    vision.submit(event("gate"));
    await().atMost(Duration.ofSeconds(5)).until(() -> alerts.size() == 1);
    Alert alert = alerts.peek();
    assertThat(alert.decidedBy()).isEqualTo(DecidedBy.LOCAL_DETECTOR);
    assertThat(alert.caption(ZoneOffset.UTC))
        .isEqualTo("gate · 2026-02-21 10:00:00\nperson (local detector)")
        .doesNotContain("unverified");
    VisionStatus status = vision.status();
    assertThat(status.configured()).isFalse();
    assertThat(status.mode()).isEqualTo("fallback");
    assertThat(status.breaker()).isNull();
    assertThat(status.fallbacksTotal()).isEqualTo(1);
  }

  /**
   * Ollama's documented /api/tags answer while up; the chat fails until {@code chatWorks}. The
   * clock never moves: only the background probe can end the open breaker.
   */
  @Test
  void aProbeFindsTheLlmBackAfterAnOutageWithoutWaitingForMotion() throws Exception {
    AtomicReference<String> listed = new AtomicReference<>("llava:7b");
    AtomicBoolean chatWorks = new AtomicBoolean();
    HttpHandler ollama =
        exchange -> {
          if (exchange.getRequestURI().getPath().equals("/api/tags")) {
            assertThat(exchange.getRequestMethod()).isEqualTo("GET");
            ObjectNode tags = JSON.createObjectNode();
            tags.putArray("models")
                .addObject()
                .put("name", listed.get())
                .put("model", listed.get())
                .put("size", 3_338_801_804L);
            StandIn.respond(exchange, 200, tags.toString());
          } else if (chatWorks.get()) {
            requests.add(JSON.readTree(exchange.getRequestBody()));
            StandIn.respond(exchange, 200, ollamaAnswer(PERSON));
          } else {
            exchange.getRequestBody().readAllBytes();
            StandIn.respond(exchange, 500, "{\"error\":\"model runner crashed\"}");
          }
        };
    StandIn first = new StandIn("/", ollama);
    int port = first.port();
    service(first, VisionApi.OLLAMA, Duration.ofSeconds(2), 8, Duration.ofMillis(100));
    for (int i = 0; i < 3; i++) {
      vision.submit(event("gate"));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> alerts.size() == 3);
    assertThat(vision.status().breaker()).isEqualTo("OPEN");

    first.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.valueOf(vision.status().lastError()).startsWith("probe: unreachable"));
    assertThat(vision.status().mode()).isEqualTo("fallback");

    try (StandIn back = new StandIn(port, "/", ollama)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  String.valueOf(vision.status().lastError())
                      .equals("probe: model gemma3:27b is not in /api/tags (ollama pull it)"));
      assertThat(vision.status().breaker()).isEqualTo("OPEN");
      assertThat(vision.status().reachable()).isFalse();

      listed.set("gemma3:27b");
      await().atMost(Duration.ofSeconds(10)).until(() -> vision.status().mode().equals("llm"));
      VisionStatus recovered = vision.status();
      assertThat(recovered.breaker()).isEqualTo("HALF_OPEN");
      assertThat(recovered.reachable()).isTrue();
      assertThat(recovered.requestsTotal()).as("probes are not LLM requests").isEqualTo(3);

      chatWorks.set(true);
      vision.submit(event("gate"));
      await().atMost(Duration.ofSeconds(5)).until(() -> alerts.size() == 4);
      assertThat(alerts.stream().skip(3).findFirst().orElseThrow().decidedBy())
          .isEqualTo(DecidedBy.VISION_LLM);
      assertThat(vision.status().breaker()).isEqualTo("CLOSED");
    }
  }

  @Test
  void theOpenAiProbeListsModelsWithTheApiKeyAndFailsOnAnError() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    AtomicReference<Integer> code = new AtomicReference<>(200);
    try (StandIn server =
        new StandIn(
            "/",
            exchange -> {
              seen.set(
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI().getPath()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization"));
              StandIn.respond(
                  exchange,
                  code.get(),
                  "{\"object\":\"list\",\"data\":[{\"id\":\"served-name\",\"object\":\"model\"}]}");
            })) {
      HttpVisionClient client =
          new HttpVisionClient(config(server, VisionApi.OPENAI, Duration.ofSeconds(2)));
      client.probe();
      assertThat(seen.get()).isEqualTo("GET /v1/models Bearer sk-test");
      code.set(503);
      assertThatThrownBy(client::probe)
          .isInstanceOf(VisionException.class)
          .hasMessageStartingWith("HTTP 503");
    }
  }

  @Test
  void anAnswerThatIgnoresTheSchemaIsAFailureNotAGuess() {
    assertThatThrownBy(() -> VisionPrompt.parse("I see a cat"))
        .isInstanceOf(VisionException.class)
        .hasMessageContaining("not JSON");
  }
}
