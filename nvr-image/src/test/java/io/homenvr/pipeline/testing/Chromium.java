package io.homenvr.pipeline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, over the W3C WebDriver protocol
 * (plain JSON over HTTP: no client library needed for load, run a script, click).
 */
public final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Process driver;
  private final String base;
  private final String session;

  private Chromium() throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    driver =
        new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    base = "http://127.0.0.1:" + port;
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> call("GET", "/status", null).path("value").path("ready").asBoolean());
    ObjectNode options = JSON.createObjectNode();
    options.put("binary", "/usr/bin/chromium");
    var args = options.putArray("args");
    List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required")
        .forEach(args::add);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode match = body.putObject("capabilities").putObject("alwaysMatch");
    match.put("browserName", "chrome");
    match.set("goog:chromeOptions", options);
    session = call("POST", "/session", body).path("value").path("sessionId").asText();
  }

  public static Chromium start() throws IOException, InterruptedException {
    return new Chromium();
  }

  public void open(String url) throws IOException, InterruptedException {
    call("POST", "/session/" + session + "/url", JSON.createObjectNode().put("url", url));
  }

  /** Runs {@code script} (a function body; {@code return} gives the result) in the page. */
  public JsonNode run(String script) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("script", script);
    body.putArray("args");
    return call("POST", "/session/" + session + "/execute/sync", body).path("value");
  }

  /** A real click (the browser's own input events) on the first element matching {@code css}. */
  public void click(String css) throws IOException, InterruptedException {
    ObjectNode find = JSON.createObjectNode().put("using", "css selector").put("value", css);
    JsonNode element = call("POST", "/session/" + session + "/element", find).path("value");
    String id = element.fields().next().getValue().asText();
    call("POST", "/session/" + session + "/element/" + id + "/click", JSON.createObjectNode());
  }

  private JsonNode call(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    request =
        body == null
            ? request.method(method, HttpRequest.BodyPublishers.noBody())
            : request
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IOException("WebDriver " + method + " " + path + ": " + answer.path("value"));
    }
    return answer;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      call("DELETE", "/session/" + session, null);
    } catch (IOException e) {
      // the driver goes anyway
    }
    driver.destroy();
    if (!driver.waitFor(10, TimeUnit.SECONDS)) {
      driver.destroyForcibly();
    }
  }
}
