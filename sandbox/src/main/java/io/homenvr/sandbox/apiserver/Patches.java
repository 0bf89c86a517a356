package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Iterator;
import java.util.Map;

/**
 * Applies PATCH bodies the way kube-apiserver does for the types the sandbox sees. The mock merges
 * lists element by element on a merge patch; RFC 7386 replaces them, which is what kubectl and the
 * operator expect. Strategic merge patches are applied as merge patches: close enough for the
 * built-in objects here, and custom resources never accept them.
 */
final class Patches {
  private Patches() {}

  static boolean isMergePatch(String contentType) {
    return contentType != null
        && (contentType.startsWith("application/merge-patch+json")
            || contentType.startsWith("application/strategic-merge-patch+json"));
  }

  static boolean isJsonPatch(String contentType) {
    return contentType != null && contentType.startsWith("application/json-patch+json");
  }

  static JsonNode apply(JsonNode current, JsonNode patch, String contentType) {
    return isJsonPatch(contentType)
        ? JsonPatch.apply(patch, current)
        : mergePatch(current.deepCopy(), patch);
  }

  /** RFC 7386: objects merge key by key, null deletes, everything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target
            : JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
