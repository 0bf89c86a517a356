package io.homenvr.pipeline.vision;

import io.homenvr.pipeline.alert.DecidedBy;
import java.util.List;

/** What the vision stage decided about one motion event, and who decided it. */
public record VisionVerdict(
    List<String> seen, boolean alert, String description, DecidedBy decidedBy) {}
