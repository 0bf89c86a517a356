package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The vision LLM the pipeline asks about motion crops. */
public class VisionSpec {
  /** The HTTP API the vision server speaks. */
  public enum Api {
    @JsonProperty("ollama")
    OLLAMA,
    @JsonProperty("openai")
    OPENAI
  }

  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Base URL of the server, http:// or https://, e.g. http://dgx.lan:11434 for Ollama.")
  private String endpoint;

  @Default("ollama")
  @JsonPropertyDescription(
      "API the server speaks: ollama (/api/chat) or openai (/v1/chat/completions: vLLM,"
          + " llama.cpp server).")
  private Api api = Api.OLLAMA;

  @Default("gemma3:27b")
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Vision model name as the server knows it, e.g. gemma3:27b.")
  private String model = "gemma3:27b";

  @Default("60")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds to wait for one answer. Slow is not down: CPU inference can take minutes.")
  private Integer timeoutSeconds = 60;

  @Default("1")
  @Min(1)
  @Max(16)
  @JsonPropertyDescription("Requests in flight at once.")
  private Integer maxConcurrent = 1;

  @Default("8")
  @Min(1)
  @Max(256)
  @JsonPropertyDescription("Crops waiting for the model; the oldest is dropped when full.")
  private Integer queueSize = 8;

  @JsonPropertyDescription(
      "Optional API key (sent as a Bearer token) for OpenAI-compatible servers.")
  private SecretKeyRef apiKeySecretRef;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public Api getApi() {
    return api;
  }

  public void setApi(Api api) {
    this.api = api;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(Integer maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public Integer getQueueSize() {
    return queueSize;
  }

  public void setQueueSize(Integer queueSize) {
    this.queueSize = queueSize;
  }

  public SecretKeyRef getApiKeySecretRef() {
    return apiKeySecretRef;
  }

  public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
    this.apiKeySecretRef = apiKeySecretRef;
  }
}
