package io.homenvr.pipeline.alert;

/** Who decided that a motion event is worth an alert, which its caption tells the human. */
public enum DecidedBy {
  /** The vision LLM looked at the crop. */
  VISION_LLM(""),
  /** No vision LLM is configured: the local person detector is the design, not a fallback. */
  LOCAL_DETECTOR(" (local detector)"),
  /** A vision LLM is configured but failing or its breaker is open: the local detector stood in. */
  LOCAL_DETECTOR_LLM_DOWN(" (local detector)\n(unverified: vision LLM down)");

  private final String captionSuffix;

  DecidedBy(String captionSuffix) {
    this.captionSuffix = captionSuffix;
  }

  /** Appended to the description in captions; log lines use it with the newline as a space. */
  public String captionSuffix() {
    return captionSuffix;
  }
}
