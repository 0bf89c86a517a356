package io.homenvr.pipeline.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.pipeline.alert.DecidedBy;
import java.util.ArrayList;
import java.util.List;

/** The prompt and the JSON schema of the answer, shared by the Ollama and OpenAI dialects. */
final class VisionPrompt {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String TEXT =
      "You watch a home security camera. This image is a crop around something that moved."
          + " List what you see (people, vehicles, animals, objects). Decide whether a home"
          + " owner should get an alert: yes for a person or a vehicle arriving, no for"
          + " animals, shadows, rain, trees or lights. Answer with JSON only: seen (list of"
          + " short nouns), alert (true/false), description (one short line for the alert).";

  private VisionPrompt() {}

  /** JSON schema for Ollama's {@code format} and OpenAI's {@code response_format}. */
  static ObjectNode schema() {
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("seen").put("type", "array").putObject("items").put("type", "string");
    properties.putObject("alert").put("type", "boolean");
    properties.putObject("description").put("type", "string");
    schema.putArray("required").add("seen").add("alert").add("description");
    schema.put("additionalProperties", false);
    return schema;
  }

  /** Parses the model's JSON answer; a model that ignored the schema is a failure, not a guess. */
  static VisionVerdict parse(String content) throws VisionException {
    JsonNode answer;
    try {
      answer = JSON.readTree(content);
    } catch (Exception e) {
      throw new VisionException("answer is not JSON: " + abbreviate(content));
    }
    if (answer == null || !answer.path("alert").isBoolean()) {
      throw new VisionException("answer lacks a boolean 'alert': " + abbreviate(content));
    }
    List<String> seen = new ArrayList<>();
    answer.path("seen").forEach(item -> seen.add(item.asText()));
    String description = answer.path("description").asText("").strip();
    return new VisionVerdict(
        List.copyOf(seen),
        answer.get("alert").asBoolean(),
        description.isEmpty() ? String.join(", ", seen) : description,
        DecidedBy.VISION_LLM);
  }

  static String abbreviate(String text) {
    String oneLine = String.valueOf(text).replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }
}
