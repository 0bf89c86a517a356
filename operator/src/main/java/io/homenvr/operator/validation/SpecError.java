package io.homenvr.operator.validation;

/**
 * One thing wrong with a CameraMonitor, phrased for the user: the field, what is wrong, the fix.
 *
 * @param field the path of the field, e.g. {@code spec.cameras[1].url}
 * @param problem what is wrong and how to fix it
 * @param reason the condition reason it maps to
 */
public record SpecError(String field, String problem, Reason reason) {
  /** The one-word condition reason a spec error is reported under. */
  public enum Reason {
    /** The spec itself is wrong. */
    InvalidSpec,
    /** A referenced Secret, or a key in it, does not exist (yet). */
    SecretNotFound,
    /** The API server refused an object built from the spec. */
    WorkloadRefused
  }

  static SpecError invalid(String field, String problem) {
    return new SpecError(field, problem, Reason.InvalidSpec);
  }

  static SpecError secret(String field, String problem) {
    return new SpecError(field, problem, Reason.SecretNotFound);
  }

  static SpecError refused(String field, String problem) {
    return new SpecError(field, problem, Reason.WorkloadRefused);
  }

  @Override
  public String toString() {
    return field + ": " + problem;
  }
}
