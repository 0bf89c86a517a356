package io.homenvr.pipeline.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.capture.Snapshot;
import io.homenvr.pipeline.recording.RecordingException;
import io.homenvr.pipeline.recording.Recordings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz /status /metrics /threads /snapshot/{camera}.jpg /} on the JDK's HTTP server, and
 * the recordings: {@code /camera/{camera}} (timeline and player), {@code
 * /recordings/{camera}.json?day=} and {@code /recordings/{camera}/clip.mp4?start=&end=}. Status
 * handlers only read counters and the latest snapshots, so they answer while capture is stuck.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  private static final Pattern SNAPSHOT = Pattern.compile("/snapshot/([a-z0-9-]+)\\.jpg");
  private static final Pattern TIMELINE = Pattern.compile("/recordings/([a-z0-9-]+)\\.json");
  private static final Pattern CLIP = Pattern.compile("/recordings/([a-z0-9-]+)/clip\\.mp4");
  private static final Pattern CAMERA_PAGE = Pattern.compile("/camera/([a-z0-9-]+)");

  /** Older than this, a frame is shown red on the page. */
  static final Duration STALE_FRAME = Duration.ofSeconds(10);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<PipelineStatus> status;
  private final Function<String, Snapshot> latestSnapshot;
  private final PrometheusMeterRegistry registry;
  private final ProcessProbe process;
  private final Recordings recordings;

  /**
   * Two clips at a time (remux and download): a long export or a slow player must never starve the
   * operator's /status.
   */
  private final Semaphore exporting = new Semaphore(2);

  public StatusServer(
      InetSocketAddress address,
      Supplier<PipelineStatus> status,
      Function<String, Snapshot> latestSnapshot,
      PrometheusMeterRegistry registry,
      ProcessProbe process,
      Recordings recordings)
      throws IOException {
    this.recordings = recordings;
    this.status = status;
    this.latestSnapshot = latestSnapshot;
    this.registry = registry;
    this.process = process;
    server = HttpServer.create(address, 16);
    executor =
        // four threads, at most two of them exporting or sending clips: /status always has two
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "status-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
    log.info("status server listening on {}", server.getAddress());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Matcher snapshot = SNAPSHOT.matcher(path);
      Matcher timeline = TIMELINE.matcher(path);
      Matcher clip = CLIP.matcher(path);
      Matcher cameraPage = CAMERA_PAGE.matcher(path);
      if (timeline.matches() || clip.matches() || cameraPage.matches()) {
        recordingRequest(exchange, timeline, clip, cameraPage);
        return;
      }
      switch (path) {
        case "/healthz" -> send(exchange, 200, "text/plain", bytes("ok\n"));
        case "/status" -> send(exchange, 200, "application/json", StatusJson.render(status.get()));
        case "/metrics" ->
            send(
                exchange,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                bytes(registry.scrape()));
        case "/threads" ->
            send(exchange, 200, "text/plain; charset=utf-8", bytes(process.threadDump()));
        case "/" -> send(exchange, 200, "text/html; charset=utf-8", bytes(page(status.get())));
        default -> {
          Snapshot picture = snapshot.matches() ? latestSnapshot.apply(snapshot.group(1)) : null;
          if (picture == null) {
            send(exchange, 404, "text/plain", bytes("not found\n"));
          } else {
            exchange.getResponseHeaders().add("Cache-Control", "no-store");
            exchange.getResponseHeaders().add("X-Frame-Time", picture.capturedAt().toString());
            send(exchange, 200, "image/jpeg", picture.jpeg());
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("status request {} failed", exchange.getRequestURI().getPath(), e);
    }
  }

  private void recordingRequest(
      HttpExchange exchange, Matcher timeline, Matcher clip, Matcher cameraPage)
      throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (cameraPage.matches()) {
      String camera = cameraPage.group(1);
      PipelineStatus now = status.get();
      CameraStatus found =
          now.cameras().stream().filter(c -> c.name().equals(camera)).findFirst().orElse(null);
      if (found == null) {
        send(exchange, 404, "text/plain", bytes("no camera " + camera + "\n"));
      } else {
        send(
            exchange,
            200,
            "text/html; charset=utf-8",
            bytes(CameraPage.render(found, now.recording(camera), now.time())));
      }
      return;
    }
    String camera = timeline.matches() ? timeline.group(1) : clip.group(1);
    if (!recordings.records(camera)) {
      send(exchange, 404, "text/plain", bytes("camera " + camera + " is not recorded\n"));
      return;
    }
    try {
      if (timeline.matches()) {
        LocalDate day =
            query.containsKey("day")
                ? LocalDate.parse(query.get("day"))
                : LocalDate.ofInstant(status.get().time(), ZoneOffset.UTC);
        send(exchange, 200, "application/json", recordings.timeline(camera, day));
        return;
      }
      Instant from = Instant.parse(query.getOrDefault("start", ""));
      Instant to = Instant.parse(query.getOrDefault("end", ""));
      if (!to.isAfter(from) || Duration.between(from, to).compareTo(Recordings.MAX_CLIP) > 0) {
        send(
            exchange,
            400,
            "text/plain",
            bytes(
                "end must be after start, and at most "
                    + Recordings.MAX_CLIP.toMinutes()
                    + " minutes later\n"));
        return;
      }
      if (!exporting.tryAcquire()) {
        exchange.getResponseHeaders().set("Retry-After", "5");
        send(exchange, 503, "text/plain", bytes("two clips are being sent; try again shortly\n"));
        return;
      }
      try {
        sendClip(exchange, camera, from, to);
      } finally {
        exporting.release();
      }
    } catch (DateTimeParseException e) {
      send(
          exchange,
          400,
          "text/plain",
          bytes(
              "start, end (ISO-8601 instants, e.g. 2026-12-04T16:00:00Z) and day (2026-12-04): "
                  + e.getParsedString()
                  + " is not one\n"));
    } catch (RecordingException e) {
      send(exchange, 500, "text/plain", bytes("export failed: " + e.getMessage() + "\n"));
    }
  }

  private void sendClip(HttpExchange exchange, String camera, Instant from, Instant to)
      throws IOException, RecordingException {
    Optional<Path> file = recordings.clip(camera, from, to);
    if (file.isEmpty()) {
      send(
          exchange,
          404,
          "text/plain",
          bytes("nothing recorded between " + from + " and " + to + "\n"));
      return;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "video/mp4");
      exchange
          .getResponseHeaders()
          .set(
              "Content-Disposition",
              "inline; filename=\"" + camera + "-" + from.toString().replace(':', '-') + ".mp4\"");
      exchange.sendResponseHeaders(200, Files.size(file.get()));
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file.get(), out);
      }
    } finally {
      Files.deleteIfExists(file.get());
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static String page(PipelineStatus status) {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\""
                + " content=\"5\"><title>homenvr</title><style>body{font-family:sans-serif}"
                + "figure{display:inline-block;margin:8px}img{max-width:480px;display:block}"
                + ".stale{color:#fff;background:#c00}.fresh{color:#060}</style></head><body>"
                + "<h1>homenvr pipeline</h1>");
    for (CameraStatus camera : status.cameras()) {
      Instant last = camera.lastFrameAt();
      Duration age = last == null ? null : Duration.between(last, status.time());
      boolean stale = age == null || age.compareTo(STALE_FRAME) > 0;
      String ageText =
          age == null
              ? "no frame yet"
              : String.format(Locale.ROOT, "%.1f s old", age.toMillis() / 1000.0);
      html.append("<figure><a href=\"/camera/")
          .append(camera.name())
          .append("\"><img src=\"/snapshot/")
          .append(camera.name())
          .append(".jpg\" alt=\"")
          .append(camera.name())
          .append("\"></a><figcaption class=\"")
          .append(stale ? "stale" : "fresh")
          .append("\">")
          .append(camera.name())
          .append(" &middot; ")
          .append(camera.state())
          .append(" &middot; ")
          .append(ageText)
          .append("</figcaption></figure>");
    }
    return html.append(
            "<p><a href=\"/status\">status</a> &middot; <a href=\"/metrics\">metrics</a>")
        .append(" &middot; <a href=\"/threads\">threads</a></p></body></html>\n")
        .toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
