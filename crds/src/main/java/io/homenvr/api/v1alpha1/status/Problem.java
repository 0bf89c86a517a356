package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One thing a health check found wrong. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Problem {
  @JsonPropertyDescription(
      "What is wrong, one CamelCase word, e.g. FramesStale, CpuSpin, Deadlock, CameraDown.")
  private String kind;

  @JsonPropertyDescription("PIPELINE (a restart may help) or EXTERNAL (it will not).")
  private CauseClass cause;

  @JsonPropertyDescription("The camera concerned, when it is about one camera.")
  private String camera;

  @JsonPropertyDescription("What was seen, in a sentence, with the numbers.")
  private String message;

  public Problem() {}

  public Problem(String kind, CauseClass cause, String camera, String message) {
    this.kind = kind;
    this.cause = cause;
    this.camera = camera;
    this.message = message;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public CauseClass getCause() {
    return cause;
  }

  public void setCause(CauseClass cause) {
    this.cause = cause;
  }

  public String getCamera() {
    return camera;
  }

  public void setCamera(String camera) {
    this.camera = camera;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Problem p
        && Objects.equals(kind, p.kind)
        && cause == p.cause
        && Objects.equals(camera, p.camera)
        && Objects.equals(message, p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, cause, camera, message);
  }

  @Override
  public String toString() {
    return kind + (camera == null ? "" : "[" + camera + "]") + ": " + message;
  }
}
