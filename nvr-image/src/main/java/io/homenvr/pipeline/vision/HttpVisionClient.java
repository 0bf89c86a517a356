package io.homenvr.pipeline.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.pipeline.config.PipelineConfig.VisionApi;
import io.homenvr.pipeline.config.PipelineConfig.VisionConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;

/**
 * Ollama {@code /api/chat} or OpenAI-compatible {@code /v1/chat/completions}, non-streaming, with
 * the answer constrained to {@link VisionPrompt#schema()}. The whole request may take {@code
 * vision.timeoutSeconds}: CPU inference is slow, and slow is not down.
 */
public final class HttpVisionClient implements VisionClient {
  private final VisionConfig config;
  private final HttpClient http;
  private final URI uri;
  private final URI probeUri;

  public HttpVisionClient(VisionConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.uri = URI.create(chatUrl(config));
    this.probeUri = URI.create(probeUrl(config));
  }

  /** Ollama's model list, or the OpenAI-compatible one: answered without loading a model. */
  static String probeUrl(VisionConfig config) {
    String endpoint = config.endpoint();
    if (config.api() == VisionApi.OLLAMA) {
      return endpoint + "/api/tags";
    }
    return endpoint + (endpoint.endsWith("/v1") ? "" : "/v1") + "/models";
  }

  static String chatUrl(VisionConfig config) {
    String endpoint = config.endpoint();
    if (config.api() == VisionApi.OLLAMA) {
      return endpoint + "/api/chat";
    }
    return endpoint + (endpoint.endsWith("/v1") ? "" : "/v1") + "/chat/completions";
  }

  @Override
  public VisionVerdict analyse(String camera, byte[] jpeg)
      throws VisionException, InterruptedException {
    String image = Base64.getEncoder().encodeToString(jpeg);
    ObjectNode body = config.api() == VisionApi.OLLAMA ? ollama(image) : openAi(image);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    config.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
    JsonNode answer = send(request);
    JsonNode content =
        config.api() == VisionApi.OLLAMA
            ? answer.path("message").path("content")
            : answer.path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) {
      throw new VisionException("response has no message content");
    }
    return VisionPrompt.parse(content.asText());
  }

  @Override
  public void probe() throws VisionException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(probeUri).timeout(config.timeout()).GET();
    config.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
    JsonNode answer = send(request);
    // vLLM and llama.cpp list served names that need not match the configured model: Ollama only
    if (config.api() == VisionApi.OLLAMA && !listsModel(answer.path("models"))) {
      throw new VisionException(
          "model " + config.model() + " is not in " + probeUri.getPath() + " (ollama pull it)");
    }
  }

  /** Ollama names models {@code name:tag}; a configured name without a tag means {@code latest}. */
  private boolean listsModel(JsonNode models) {
    String wanted = config.model().contains(":") ? config.model() : config.model() + ":latest";
    for (JsonNode model : models) {
      String name = model.path("name").asText(model.path("model").asText(""));
      if (name.equals(config.model()) || name.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** Sends one request; anything but a 200 with a JSON body is a failure naming what happened. */
  private JsonNode send(HttpRequest.Builder request) throws VisionException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new VisionException("no answer within " + config.timeout().toSeconds() + " s");
    } catch (IOException e) {
      throw new VisionException(
          "unreachable: " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new VisionException(
          "HTTP " + response.statusCode() + ": " + VisionPrompt.abbreviate(response.body()));
    }
    try {
      return VisionPrompt.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new VisionException(
          "response is not JSON: " + VisionPrompt.abbreviate(response.body()));
    }
  }

  private ObjectNode ollama(String image) {
    ObjectNode body = VisionPrompt.JSON.createObjectNode();
    body.put("model", config.model()).put("stream", false);
    body.set("format", VisionPrompt.schema());
    ObjectNode message = body.putArray("messages").addObject();
    message.put("role", "user").put("content", VisionPrompt.TEXT);
    message.putArray("images").add(image);
    body.putObject("options").put("temperature", 0);
    return body;
  }

  private ObjectNode openAi(String image) {
    ObjectNode body = VisionPrompt.JSON.createObjectNode();
    body.put("model", config.model()).put("temperature", 0);
    ObjectNode message = body.putArray("messages").addObject().put("role", "user");
    var content = message.putArray("content");
    content.addObject().put("type", "text").put("text", VisionPrompt.TEXT);
    content
        .addObject()
        .put("type", "image_url")
        .putObject("image_url")
        .put("url", "data:image/jpeg;base64," + image);
    ObjectNode format = body.putObject("response_format").put("type", "json_schema");
    format
        .putObject("json_schema")
        .put("name", "camera_detection")
        .put("strict", true)
        .set("schema", VisionPrompt.schema());
    return body;
  }
}
