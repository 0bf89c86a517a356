package io.homenvr.pipeline.vision;

/** The vision LLM did not give a usable answer (down, timed out, HTTP error, bad JSON). */
public final class VisionException extends Exception {
  public VisionException(String message) {
    super(message);
  }
}
