package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Field selectors on lists ({@code involvedObject.name=home,involvedObject.kind=CameraMonitor}),
 * which the mock ignores: {@code kubectl describe} finds an object's Events with one.
 */
final class FieldSelectors {
  private record Requirement(String pointer, String value, boolean equal) {}

  private FieldSelectors() {}

  static MockResponse filter(MockResponse response, String selector, ObjectMapper json) {
    if (response.code() != 200) {
      return response;
    }
    try {
      JsonNode list = json.readTree(response.getBody().readUtf8());
      if (!list.has("items")) {
        return response.setBody(json.writeValueAsString(list));
      }
      List<Requirement> requirements = parse(selector);
      ArrayNode kept = json.createArrayNode();
      for (JsonNode item : list.get("items")) {
        if (requirements.stream().allMatch(r -> matches(item, r))) {
          kept.add(item);
        }
      }
      ((ObjectNode) list).set("items", kept);
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(json.writeValueAsString(list));
    } catch (Exception e) {
      return response;
    }
  }

  private static boolean matches(JsonNode item, Requirement requirement) {
    JsonNode value = item.at(requirement.pointer());
    String actual = value.isMissingNode() || value.isNull() ? "" : value.asText();
    return actual.equals(requirement.value()) == requirement.equal();
  }

  private static List<Requirement> parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      boolean notEqual = term.contains("!=");
      String[] parts = term.split(notEqual ? "!=" : "==?", 2);
      if (parts.length == 2) {
        requirements.add(
            new Requirement("/" + parts[0].trim().replace('.', '/'), parts[1].trim(), !notEqual));
      }
    }
    return requirements;
  }
}
