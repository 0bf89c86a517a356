package io.homenvr.sandbox.apiserver;

/**
 * One invalid field, shaped like kube-apiserver's {@code field.Error}: {@code spec.cameras[0].url:
 * Invalid value: "object": url must not contain credentials…}.
 *
 * @param field the path of the field, e.g. {@code spec.cameras[0].url}
 * @param type what is wrong
 * @param value the offending value rendered as the apiserver does (JSON for scalars, the type name
 *     for objects and lists); empty for types that do not show it
 * @param detail the explanation, naming the fix where the model's message does
 */
public record FieldError(String field, Type type, String value, String detail) {

  /** kube-apiserver's error types, with the words it prints and the reasons its Status uses. */
  public enum Type {
    REQUIRED("Required value", "FieldValueRequired", false),
    INVALID("Invalid value", "FieldValueInvalid", true),
    UNSUPPORTED("Unsupported value", "FieldValueNotSupported", true),
    DUPLICATE("Duplicate value", "FieldValueDuplicate", true),
    FORBIDDEN("Forbidden", "FieldValueForbidden", false),
    TOO_LONG("Too long", "FieldValueTooLong", false),
    TOO_MANY("Too many", "FieldValueTooMany", true),
    UNKNOWN_FIELD("Unknown field", "FieldValueUnknown", false);

    private final String words;
    private final String reason;
    private final boolean showsValue;

    Type(String words, String reason, boolean showsValue) {
      this.words = words;
      this.reason = reason;
      this.showsValue = showsValue;
    }

    /** The reason a {@code Status} cause carries, e.g. {@code FieldValueInvalid}. */
    public String reason() {
      return reason;
    }
  }

  /** The message without the field, as a {@code Status} cause's {@code message}. */
  public String body() {
    StringBuilder body = new StringBuilder(type.words);
    if (type.showsValue) {
      body.append(": ").append(value);
    }
    if (detail != null && !detail.isEmpty()) {
      body.append(": ").append(detail);
    }
    return body.toString();
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }
}
