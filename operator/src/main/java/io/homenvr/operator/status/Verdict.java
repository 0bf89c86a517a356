package io.homenvr.operator.status;

/**
 * What one condition should say: its status ({@code True}, {@code False} or {@code Unknown}), a
 * one-word CamelCase reason and a sentence.
 */
public record Verdict(String status, String reason, String message) {
  public static Verdict isTrue(String reason, String message) {
    return new Verdict("True", reason, message);
  }

  public static Verdict isFalse(String reason, String message) {
    return new Verdict("False", reason, message);
  }

  public static Verdict unknown(String reason, String message) {
    return new Verdict("Unknown", reason, message);
  }
}
