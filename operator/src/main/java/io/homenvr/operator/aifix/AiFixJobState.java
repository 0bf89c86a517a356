package io.homenvr.operator.aifix;

/** What the cluster says about the incident's AI-fix Job. */
public sealed interface AiFixJobState {
  /** No such Job (not created yet, or gone). */
  record Absent() implements AiFixJobState {}

  record Running() implements AiFixJobState {}

  /** The Job ended; its result comes from the termination message, or says why there was none. */
  record Ended(AiFixResult result) implements AiFixJobState {}

  AiFixJobState ABSENT = new Absent();
  AiFixJobState RUNNING = new Running();
}
