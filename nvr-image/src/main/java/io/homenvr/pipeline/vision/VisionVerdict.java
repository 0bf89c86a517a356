package io.homenvr.pipeline.vision;

import java.util.List;

/**
 * What the vision stage decided about one motion event.
 *
 * @param verified false when the local person detector decided because the LLM was down
 */
public record VisionVerdict(
    List<String> seen, boolean alert, String description, boolean verified) {}
