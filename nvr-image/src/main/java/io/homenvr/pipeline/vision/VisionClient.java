package io.homenvr.pipeline.vision;

/** One request to a remote vision LLM with a JPEG crop; implementations are thread-safe. */
public interface VisionClient {
  VisionVerdict analyse(String camera, byte[] jpeg) throws VisionException, InterruptedException;
}
