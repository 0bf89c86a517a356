package io.homenvr.operator.aifix;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The AI-fix Job's termination message: {@code {"outcome":"fixed|no-fix|error","summary","commit",
 * "branch","image"}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AiFixResult(
    String outcome, String summary, String commit, String branch, String image) {
  public static final String FIXED = "fixed";
  public static final String NO_FIX = "no-fix";
  public static final String ERROR = "error";

  public boolean fixed() {
    return FIXED.equals(outcome);
  }

  public static AiFixResult error(String summary) {
    return new AiFixResult(ERROR, summary, null, null, null);
  }
}
