package io.homenvr.pipeline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.pipeline.Main;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.config.ConfigLoader;
import io.homenvr.pipeline.config.PipelineConfig;
import io.homenvr.pipeline.testing.Chromium;
import io.homenvr.pipeline.testing.RtspTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline as Main wires it, recording a real RTSP camera, restarted once (a real gap), and its
 * camera page in Debian's headless Chromium: the timeline shows the segments and the gap with its
 * cause, a clicked event plays in the {@code <video>} element (its currentTime advances), and the
 * clip endpoint's MP4 passes ffprobe.
 */
class PlaybackPageTest {
  @TempDir Path dir;

  private PipelineConfig config(RtspTestServer camera) throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "cameras:",
            "  - name: gate",
            "    url: " + camera.url("/ball"),
            "    detect: {fps: 5, width: 160, minAreaPercent: 0.5}",
            "    record: {mode: continuous, segmentSeconds: 2, preRollSeconds: 2, postRollSeconds: 2}",
            "  - name: nowhere",
            "    url: rtsp://127.0.0.1:1/none",
            "    record: {mode: off}",
            "storage:",
            "  dataDir: " + dir.resolve("data"),
            "server:",
            "  port: 0",
            "  bindAddress: 127.0.0.1",
            ""));
    return ConfigLoader.load(file, name -> null);
  }

  @Test
  void timelineShowsSegmentsAndTheGapAndAClickedEventPlays() throws Exception {
    try (RtspTestServer camera = RtspTestServer.start()) {
      PipelineConfig config = config(camera);
      Main first = new Main(config, Clock.systemUTC(), CaptureTimings.DEFAULTS);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> segments(dir) >= 2);
      } finally {
        first.close();
      }
      Instant stopped = Instant.now();
      // the pipeline stays down for two seconds: a real hole in the footage
      await()
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Instant.now().isAfter(stopped.plusSeconds(2)));
      Main second = new Main(config, Clock.systemUTC(), CaptureTimings.DEFAULTS);
      try (Chromium browser = Chromium.start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> segments(dir) >= 4);
        String base = "http://127.0.0.1:" + second.statusPort();
        browser.open(base + "/camera/gate");
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    browser
                                .run(
                                    "return document.querySelectorAll('#timeline .segment').length")
                                .asInt()
                            >= 4
                        && browser
                                .run("return document.querySelectorAll('#events button').length")
                                .asInt()
                            >= 1);
        String hole =
            browser
                .run(
                    "const h = document.querySelector('#timeline .hole');"
                        + " return h ? h.title + ' ' + h.style.width : null")
                .asText();
        assertThat(hole).startsWith("no recording: the pipeline was not running");
        assertThat(browser.run("return document.querySelector('#live') !== null").asBoolean())
            .isTrue();

        browser.click("#events button");
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    browser.run("return document.getElementById('player').currentTime").asDouble()
                        > 1.0);
        assertThat(browser.run("return document.getElementById('player').error").isNull()).isTrue();

        // a camera that never streamed shows why, not a broken image
        browser.open(base + "/camera/nowhere");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> browser.run("return document.readyState").asText().equals("complete"));
        assertThat(
                browser
                    .run("const w = document.getElementById('why'); return w && w.textContent")
                    .asText())
            .startsWith("No picture yet");
        assertThat(browser.run("return document.querySelector('img') === null").asBoolean())
            .isTrue();

        // the endpoint the player uses, checked by FFmpeg's own probe
        Path clip = dir.resolve("clip.mp4");
        HttpResponse<Path> response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                base
                                    + "/recordings/gate/clip.mp4?start="
                                    + stopped.minusSeconds(3)
                                    + "&end="
                                    + Instant.now()))
                        .build(),
                    HttpResponse.BodyHandlers.ofFile(clip));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RecorderTest.ffprobeErrors(clip)).isEmpty();
        // bad input is named; a range with no footage is a 404, not an empty file
        HttpResponse<String> bad =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(base + "/recordings/gate/clip.mp4?start=yesterday&end=now"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("yesterday is not one");
        HttpResponse<String> none =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                base
                                    + "/recordings/gate/clip.mp4?start=2020-01-01T00:00:00Z"
                                    + "&end=2020-01-01T00:10:00Z"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(RecorderTest.ffprobe(clip, "format=duration").trim()).isNotEmpty();
      } finally {
        second.close();
      }
    }
  }

  private static long segments(Path dir) throws Exception {
    Path root = dir.resolve("data/recordings/gate");
    if (!Files.exists(root)) {
      return 0;
    }
    try (var files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".mp4") && !p.getFileName().toString().startsWith("."))
          .count();
    }
  }
}
