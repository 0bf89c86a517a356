package io.homenvr.operator.aifix;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One configuration change the agent proposed, as it proposed it (untrusted until {@link
 * ConfigChangeValidator} accepts it): {@code {"type":"config","field":"camera.detect.fps",
 * "camera":"gate","value":3,"reason":"…"}}.
 *
 * @param field one of {@link ConfigChangeValidator.Field}'s names
 * @param camera the camera's name for the {@code camera.*} fields, else null
 * @param value the new value: a JSON number, or a string (memory quantity, transport)
 * @param reason the agent's one-line why, for the human (may be null)
 */
public record ConfigChange(String field, String camera, JsonNode value, String reason) {}
