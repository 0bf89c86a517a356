package io.homenvr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.config.ConfigLoader;
import io.homenvr.pipeline.config.PipelineConfig;
import io.homenvr.pipeline.testing.LogCapture;
import io.homenvr.pipeline.testing.RtspTestServer;
import io.homenvr.pipeline.testing.StandIn;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as Main wires it: a real RTSP camera, stand-in Ollama and Telegram, and the
 * status server checked against the contract the operator reads (docs/status-contract.md).
 */
class PipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path DOCS = Path.of("../docs");
  private static final String TOKEN = "987654:pipeline-test-token";

  @TempDir static Path dir;

  private static RtspTestServer camera;
  private static StandIn ollama;
  private static StandIn telegram;
  private static LogCapture logs;
  private static Main pipeline;
  private static final AtomicInteger visionRequests = new AtomicInteger();
  private static final AtomicInteger photos = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    camera = RtspTestServer.start();
    ollama =
        new StandIn(
            "/api/chat",
            exchange -> {
              exchange.getRequestBody().readAllBytes();
              visionRequests.incrementAndGet();
              StandIn.respond(
                  exchange,
                  200,
                  "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":"
                      + JSON.writeValueAsString(
                          "{\"seen\":[\"ball\"],\"alert\":true,\"description\":\"a ball\"}")
                      + "},\"done\":true}");
            });
    telegram =
        new StandIn(
            "/bot" + TOKEN + "/sendPhoto",
            exchange -> {
              exchange.getRequestBody().readAllBytes();
              photos.incrementAndGet();
              StandIn.respond(exchange, 200, "{\"ok\":true,\"result\":{\"message_id\":7}}");
            });
    Path config = dir.resolve("pipeline.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "cameras:",
            "  - name: gate",
            "    url: " + camera.url("/ball"),
            "    detect: {fps: 5, width: 160, minAreaPercent: 0.5}",
            "  - name: garden",
            "    url: " + camera.url("/still"),
            "vision:",
            "  api: ollama",
            "  endpoint: " + ollama.baseUrl(),
            "  model: gemma3:27b",
            "  timeoutSeconds: 10",
            "alerts:",
            "  cooldownSeconds: 600",
            "  telegram:",
            "    apiBaseUrl: " + telegram.baseUrl(),
            "    chatId: \"42\"",
            "    botTokenEnv: TEST_BOT_TOKEN",
            "storage:",
            "  dataDir: " + dir.resolve("data"),
            "server:",
            "  port: 0",
            "  bindAddress: 127.0.0.1",
            "summaryIntervalSeconds: 1",
            ""));
    PipelineConfig parsed =
        ConfigLoader.load(config, name -> "TEST_BOT_TOKEN".equals(name) ? TOKEN : null);
    logs = new LogCapture();
    pipeline = new Main(parsed, Clock.systemUTC(), CaptureTimings.DEFAULTS);
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
    logs.close();
    telegram.close();
    ollama.close();
    camera.close();
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.statusPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode status() throws Exception {
    HttpResponse<byte[]> response = get("/status");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  /** Every field path of a JSON document; array elements are described by their first element. */
  private static Set<String> paths(JsonNode node, String prefix, Set<String> into) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        into.add(path);
        paths(field.getValue(), path, into);
      }
    } else if (node.isArray() && !node.isEmpty()) {
      paths(node.get(0), prefix + "[]", into);
    }
    return into;
  }

  @Test
  void motionGoesThroughTheLlmToOneTelegramPhotoPerCooldown() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> photos.get() == 1);
    long analyses = status().path("analysis").path("analysesTotal").asLong();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status().path("analysis").path("analysesTotal").asLong() > analyses + 10);
    assertThat(visionRequests.get()).as("one ball crossing, one request").isEqualTo(1);
    assertThat(photos.get()).isEqualTo(1);
    JsonNode status = status();
    assertThat(status.at("/alerts/sent").asLong()).isEqualTo(1);
    assertThat(status.at("/vision/mode").asText()).isEqualTo("llm");
    assertThat(status.at("/storage/snapshotFiles").asLong()).isEqualTo(1);
    assertThat(logs.text()).contains("ALERT camera=gate a ball").doesNotContain(TOKEN);
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      Path photo = files.filter(f -> f.toString().endsWith(".jpg")).findFirst().orElseThrow();
      BufferedImage image = ImageIO.read(photo.toFile());
      assertThat(List.of(image.getWidth(), image.getHeight()))
          .as("the alert photo is the full-resolution frame, not the detect-width one")
          .containsExactly(320, 240);
    }
  }

  @Test
  void servesEveryFieldOfTheDocumentedContract() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status().at("/cameras/1/state").asText().equals("STREAMING"));
    JsonNode served = status();
    Set<String> servedPaths = paths(served, "", new TreeSet<>());
    JsonNode example = JSON.readTree(DOCS.resolve("status-example.json").toFile());
    Set<String> exampled = paths(example, "", new TreeSet<>());
    if (served.at("/cameras/0/recording/gaps").isEmpty()) {
      // no gap in this run: the gaps' fields are checked against the contract by the example only
      exampled.removeIf(path -> path.startsWith("cameras[].recording.gaps[]."));
    }
    if (served.path("offload").isNull()) {
      // no second volume in this run: the offload's fields are checked against the contract
      exampled.removeIf(path -> path.startsWith("offload."));
    }
    if (served.path("mqtt").isNull()) {
      // no broker in this run: MqttPipelineTest serves these
      exampled.removeIf(path -> path.startsWith("mqtt."));
    }
    assertThat(servedPaths).containsAll(exampled);
    assertThat(paths(example, "", new TreeSet<>())).containsAll(servedPaths);

    String contract = Files.readString(DOCS.resolve("status-contract.md"));
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-zA-Z.\\[\\]]+)`(?:, `([a-zA-Z]+)`)? \\|").matcher(contract);
    Set<String> documented = new TreeSet<>();
    while (row.find()) {
      documented.add(row.group(1));
      if (row.group(2) != null) {
        String parent = row.group(1).substring(0, row.group(1).lastIndexOf('.') + 1);
        documented.add(parent + row.group(2));
      }
    }
    Set<String> leaves = new TreeSet<>(servedPaths);
    leaves.removeIf(
        path -> served.at("/" + path.replace("[]", "/0").replace('.', '/')).isContainerNode());
    assertThat(documented).containsAll(leaves);

    assertThat(served.path("schemaVersion").asInt()).isEqualTo(1);
    JsonNode gate = served.path("cameras").path(0);
    assertThat(gate.path("name").asText()).isEqualTo("gate");
    assertThat(gate.path("codec").asText()).isEqualTo("h264");
    assertThat(gate.path("framesTotal").asLong()).isPositive();
    assertThat(served.at("/analysis/lastTickAt").asText()).endsWith("Z");
    assertThat(served.at("/process/cpuSecondsTotal").asDouble()).isPositive();
    assertThat(served.at("/storage/totalBytes").asLong()).isPositive();
  }

  @Test
  void servesHealthMetricsSnapshotsThreadsAndThePage() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/snapshot/gate.jpg").statusCode() == 200);
    assertThat(new String(get("/healthz").body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
    HttpResponse<byte[]> snapshot = get("/snapshot/gate.jpg");
    assertThat(snapshot.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(snapshot.body()).startsWith((byte) 0xff, (byte) 0xd8);
    BufferedImage preview = ImageIO.read(new ByteArrayInputStream(snapshot.body()));
    assertThat(List.of(preview.getWidth(), preview.getHeight()))
        .as("snapshots are previews at the detect width")
        .containsExactly(160, 120);
    assertThat(get("/snapshot/nope.jpg").statusCode()).isEqualTo(404);
    String metrics = new String(get("/metrics").body(), StandardCharsets.UTF_8);
    assertThat(metrics)
        .contains("homenvr_camera_frames_total{camera=\"gate\"}")
        .contains("homenvr_camera_last_frame_age_seconds{camera=\"garden\"}")
        .contains("homenvr_analysis_ticks_total")
        .contains("jvm_threads_live_threads");
    Matcher documented =
        Pattern.compile("`(homenvr_[a-z_]+)")
            .matcher(Files.readString(DOCS.resolve("status-contract.md")));
    while (documented.find()) {
      assertThat(metrics).contains(documented.group(1));
    }
    String threads = new String(get("/threads").body(), StandardCharsets.UTF_8);
    assertThat(threads).contains("\"camera-gate\"").contains("\"analysis\"").contains("\tat ");
    String page = new String(get("/").body(), StandardCharsets.UTF_8);
    assertThat(page).contains("<img src=\"/snapshot/gate.jpg\"").contains("class=\"fresh\"");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> logs.text().contains("summary cameras=[gate:"));
  }

  @Test
  void reportsARealDeadlockByThreadName() throws Exception {
    ReentrantLock left = new ReentrantLock();
    ReentrantLock right = new ReentrantLock();
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Thread first = deadlocker("deadlock-left", left, right, bothHoldOne);
    Thread second = deadlocker("deadlock-right", right, left, bothHoldOne);
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> status().at("/process/deadlockedThreads").size() == 2);
      assertThat(status().at("/process/deadlockedThreads").toString())
          .isEqualTo("[\"deadlock-left\",\"deadlock-right\"]");
      String dump = new String(get("/threads").body(), StandardCharsets.UTF_8);
      assertThat(dump).contains("DEADLOCKED").contains("owned by \"deadlock-right\"");
    } finally {
      first.interrupt();
      second.interrupt();
      first.join(2000);
      second.join(2000);
    }
    assertThat(status().at("/process/deadlockedThreads").size()).isZero();
  }

  private static Thread deadlocker(
      String name, ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHoldOne) {
    Thread thread =
        new Thread(
            () -> {
              try {
                mine.lockInterruptibly();
                try {
                  bothHoldOne.countDown();
                  bothHoldOne.await();
                  theirs.lockInterruptibly();
                  theirs.unlock();
                } finally {
                  mine.unlock();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
