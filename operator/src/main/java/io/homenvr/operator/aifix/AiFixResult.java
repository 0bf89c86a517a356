package io.homenvr.operator.aifix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The AI-fix Job's termination message (written by aifix/entrypoint.sh, at most 4000 bytes): {@code
 * {"outcome":"fixed|no-fix|error","summary","commit","branch","image","diff","agent",
 * "diagnosis","proposal","diagnosisNote"}}. Everything but outcome may be absent. {@code proposal}
 * is the agent's untrusted JSON: judge it with {@link ConfigChangeValidator} before using it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AiFixResult(
    String outcome,
    String summary,
    String commit,
    String branch,
    String image,
    Diff diff,
    Agent agent,
    Diagnosis diagnosis,
    JsonNode proposal,
    String diagnosisNote) {
  public static final String FIXED = "fixed";
  public static final String NO_FIX = "no-fix";
  public static final String ERROR = "error";

  /** What a pushed fix changed: counts, and up to 10 paths. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Diff(Integer files, Integer insertions, Integer deletions, List<String> paths) {}

  /** The agent CLI's own account of its run ({@code claude --output-format json}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Agent(
      Boolean isError,
      String subtype,
      Integer turns,
      Double costUsd,
      Integer deniedToolCalls,
      String stopReason) {}

  /** The agent's analysis, whatever the outcome: cause, the evidence lines it relied on. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Diagnosis(String cause, List<String> evidence, String confidence) {}

  public AiFixResult(String outcome, String summary, String commit, String branch, String image) {
    this(outcome, summary, commit, branch, image, null, null, null, null, null);
  }

  public boolean fixed() {
    return FIXED.equals(outcome);
  }

  public static AiFixResult error(String summary) {
    return new AiFixResult(ERROR, summary, null, null, null);
  }
}
