package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import java.util.List;

/**
 * What kube-apiserver does to a CameraMonitor before it stores one, and the mock does not: prune
 * unknown fields (or reject them when the client asks for strict field validation, as kubectl
 * does), apply defaults, and reject schema or CEL violations with a 422 naming the fields.
 */
final class Admission {
  /** The outcome: either the object to store, or the Status to answer with. */
  record Decision(JsonNode object, Status rejection) {
    boolean admitted() {
      return rejection == null;
    }
  }

  private final CrdSchemaValidator validator = CrdSchemaValidator.forCameraMonitor();

  /** Admits a whole object (create, update). */
  Decision admit(JsonNode object, String fieldValidation) {
    CrdSchemaValidator.Result result = validator.validate(object);
    String name = object.path("metadata").path("name").asText("");
    if ("Strict".equals(fieldValidation) && !result.unknownFields().isEmpty()) {
      return new Decision(
          null,
          new StatusBuilder()
              .withStatus("Failure")
              .withCode(400)
              .withReason("BadRequest")
              .withMessage(
                  CameraMonitor.KIND
                      + " in version \""
                      + CameraMonitor.VERSION
                      + "\" cannot be handled as a "
                      + CameraMonitor.KIND
                      + ": strict decoding error: "
                      + String.join(
                          ", ",
                          result.unknownFields().stream()
                              .map(field -> "unknown field \"" + field + "\"")
                              .toList()))
              .build());
    }
    if (!result.valid()) {
      return new Decision(null, invalid(name, result.errors()));
    }
    return new Decision(result.object(), null);
  }

  private static Status invalid(String name, List<FieldError> errors) {
    List<StatusCause> causes =
        errors.stream()
            .map(
                error ->
                    new StatusCauseBuilder()
                        .withField(error.field())
                        .withReason(error.type().reason())
                        .withMessage(error.body())
                        .build())
            .toList();
    List<String> lines = errors.stream().map(FieldError::toString).toList();
    String summary = lines.size() == 1 ? lines.get(0) : "[" + String.join(", ", lines) + "]";
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(422)
        .withReason("Invalid")
        .withMessage(
            CameraMonitor.KIND
                + "."
                + CameraMonitor.GROUP
                + " \""
                + name
                + "\" is invalid: "
                + summary)
        .withNewDetails()
        .withName(name)
        .withGroup(CameraMonitor.GROUP)
        .withKind(CameraMonitor.KIND)
        .withCauses(causes)
        .endDetails()
        .build();
  }
}
