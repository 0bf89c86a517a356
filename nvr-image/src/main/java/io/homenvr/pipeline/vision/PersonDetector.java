package io.homenvr.pipeline.vision;

/** The local fallback when the vision LLM is down: is there a person in this JPEG? */
public interface PersonDetector {
  boolean containsPerson(byte[] jpeg);
}
