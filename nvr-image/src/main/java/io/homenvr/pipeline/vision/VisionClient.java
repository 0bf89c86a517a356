package io.homenvr.pipeline.vision;

/** One request to a remote vision LLM with a JPEG crop; implementations are thread-safe. */
public interface VisionClient {
  VisionVerdict analyse(String camera, byte[] jpeg) throws VisionException, InterruptedException;

  /** A cheap check, no inference: the server answers (and serves the model, where it can say). */
  void probe() throws VisionException, InterruptedException;
}
