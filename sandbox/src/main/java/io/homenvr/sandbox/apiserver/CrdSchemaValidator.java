package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.homenvr.api.v1alpha1.CameraMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a custom resource the way kube-apiserver does with a CRD's {@code openAPIV3Schema}:
 * unknown fields pruned, {@code default}s applied, the schema checked with a JSON-schema validator,
 * then every {@code x-kubernetes-validations} rule evaluated with CEL at its place in the object.
 *
 * <p>This is how the sandbox's home-made API server answers a bad {@code kubectl apply} with a 422,
 * until the sandbox runs on the real control plane; the CRD's rules themselves are proven on a real
 * kube-apiserver (the operator's CrdAdmissionTest). Errors read like the apiserver's: {@code
 * spec.cameras[0].url: Invalid value: "object": url must not contain credentials…}.
 *
 * <p>cel-java has only standard CEL and its extensions, not Kubernetes' own CEL libraries, so rules
 * that call them (URLs, quantities, IPs) are skipped here: see {@link #skippedRules()}.
 */
public final class CrdSchemaValidator {
  /** Classpath resource of the generated CameraMonitor CRD, packaged in the homenvr-crds jar. */
  public static final String CAMERA_MONITOR_CRD_RESOURCE = CameraMonitor.CRD_NAME + "-v1.yml";

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // ObjectMeta.name of a namespaced custom resource must be an RFC 1123 subdomain
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Set<String> IMPLICIT_ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  /** A call of a function of Kubernetes' CEL libraries, which cel-java does not have. */
  private static final Pattern KUBERNETES_LIBRARY_CALL =
      Pattern.compile("\\b(isURL|url|isQuantity|quantity|isIP|ip|isCIDR|cidr|isSemver|semver)\\(");

  private final JsonNode openApiSchema;
  private final JsonNode jsonSchemaDocument;
  private final JsonSchema jsonSchema;
  private final Map<String, CelRuntime.Program> rules = new HashMap<>();
  private final List<String> skippedRules = new ArrayList<>();

  /** What validation found, and the object as the apiserver would store it. */
  public record Result(JsonNode object, List<FieldError> errors, List<String> unknownFields) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private CrdSchemaValidator(JsonNode openApiSchema) {
    this.openApiSchema = openApiSchema;
    ObjectNode document = toJsonSchema(openApiSchema);
    ObjectNode rootProperties = document.withObject("/properties");
    rootProperties.putObject("apiVersion").put("type", "string");
    rootProperties.putObject("kind").put("type", "string");
    rootProperties.putObject("metadata").put("type", "object");
    this.jsonSchemaDocument = document;
    this.jsonSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(document, SchemaValidatorsConfig.builder().build());
    compileRules(openApiSchema);
  }

  /** The validator for CameraMonitors, from the CRD packaged in the homenvr-crds jar. */
  public static CrdSchemaValidator forCameraMonitor() {
    try (InputStream crd =
        CrdSchemaValidator.class
            .getClassLoader()
            .getResourceAsStream(CAMERA_MONITOR_CRD_RESOURCE)) {
      if (crd == null) {
        throw new IllegalStateException(
            CAMERA_MONITOR_CRD_RESOURCE + " is not on the class path (homenvr-crds jar)");
      }
      return fromCrd(YAML.readTree(crd), CameraMonitor.VERSION);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A validator for one version of a CRD.
   *
   * @throws IllegalArgumentException when the version is missing or a rule does not compile
   */
  public static CrdSchemaValidator fromCrd(JsonNode crd, String version) {
    for (JsonNode served : crd.path("spec").path("versions")) {
      if (served.path("name").asText().equals(version)) {
        return new CrdSchemaValidator(served.path("schema").path("openAPIV3Schema"));
      }
    }
    throw new IllegalArgumentException(
        "CRD " + crd.path("metadata").path("name").asText() + " has no version " + version);
  }

  /** The CRD's rules this validator does not evaluate, since they call Kubernetes' libraries. */
  public List<String> skippedRules() {
    return List.copyOf(skippedRules);
  }

  /** Validates a resource given as YAML or JSON. */
  public Result validate(String yamlOrJson) {
    try {
      return validate(YAML.readTree(yamlOrJson));
    } catch (JsonProcessingException e) {
      return new Result(
          NODES.missingNode(),
          List.of(
              new FieldError("<body>", FieldError.Type.INVALID, "\"\"", e.getOriginalMessage())),
          List.of());
    }
  }

  /** Validates a whole resource (apiVersion, kind, metadata, spec, status); the input is kept. */
  public Result validate(JsonNode resource) {
    JsonNode object = resource.deepCopy();
    List<String> unknownFields = new ArrayList<>();
    prune(object, openApiSchema, "", unknownFields);
    applyDefaults(object, openApiSchema);

    List<FieldError> errors = new ArrayList<>();
    validateName(object.path("metadata"), errors);
    boolean typeMismatch = false;
    List<ValidationMessage> messages = new ArrayList<>(jsonSchema.validate(object));
    messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
    for (ValidationMessage message : messages) {
      typeMismatch |= "type".equals(message.getType());
      errors.add(toFieldError(message));
    }
    // like the apiserver, rules are not run on a value of the wrong type: they would only crash
    if (!typeMismatch) {
      evaluateRules(object, openApiSchema, "", errors);
    }
    return new Result(object, List.copyOf(errors), List.copyOf(unknownFields));
  }

  private static void validateName(JsonNode metadata, List<FieldError> errors) {
    String name = metadata.path("name").asText("");
    if (metadata.has("generateName") && name.isEmpty()) {
      return;
    }
    if (name.isEmpty()) {
      errors.add(new FieldError("metadata.name", FieldError.Type.REQUIRED, "", "name is required"));
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "metadata.name",
              FieldError.Type.INVALID,
              render(metadata.path("name")),
              "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                  + " '-' or '.', and must start and end with an alphanumeric character (e.g."
                  + " 'example.com')"));
    }
  }

  // ---- pruning and defaulting, as the apiserver does before validating ----

  private static void prune(JsonNode data, JsonNode schema, String path, List<String> unknown) {
    if (data.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean keepUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = field.getKey();
        if (path.isEmpty() && IMPLICIT_ROOT_FIELDS.contains(name)) {
          continue;
        }
        if (properties.has(name)) {
          prune(field.getValue(), properties.get(name), child(path, name), unknown);
        } else if (additional.isObject()) {
          prune(field.getValue(), additional, path + "[" + name + "]", unknown);
        } else if (!keepUnknown && (properties.isObject() || additional.isBoolean())) {
          unknown.add(child(path, name));
          fields.remove();
        }
      }
    } else if (data.isArray() && schema.has("items")) {
      for (int i = 0; i < data.size(); i++) {
        prune(data.get(i), schema.get("items"), path + "[" + i + "]", unknown);
      }
    }
  }

  private static void applyDefaults(JsonNode data, JsonNode schema) {
    if (data instanceof ObjectNode object) {
      schema
          .path("properties")
          .fields()
          .forEachRemaining(
              property -> {
                JsonNode propertySchema = property.getValue();
                if (!object.has(property.getKey()) && propertySchema.has("default")) {
                  object.set(property.getKey(), propertySchema.get("default").deepCopy());
                }
                if (object.has(property.getKey())) {
                  applyDefaults(object.get(property.getKey()), propertySchema);
                }
              });
      if (schema.path("additionalProperties").isObject()) {
        object.forEach(value -> applyDefaults(value, schema.get("additionalProperties")));
      }
    } else if (data.isArray() && schema.has("items")) {
      data.forEach(item -> applyDefaults(item, schema.get("items")));
    }
  }

  // ---- the OpenAPI schema as a JSON schema ----

  /** OpenAPI v3 schema → JSON schema draft 4: drop x-kubernetes-* keywords, turn nullable. */
  private static ObjectNode toJsonSchema(JsonNode openApi) {
    ObjectNode out = NODES.objectNode();
    openApi
        .fields()
        .forEachRemaining(
            keyword -> {
              String name = keyword.getKey();
              JsonNode value = keyword.getValue();
              if (name.startsWith("x-kubernetes-") || name.equals("nullable")) {
                return;
              }
              switch (name) {
                case "properties" -> {
                  ObjectNode properties = out.putObject("properties");
                  value
                      .fields()
                      .forEachRemaining(
                          p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "not" -> out.set(name, toJsonSchema(value));
                case "additionalProperties" ->
                    out.set(name, value.isObject() ? toJsonSchema(value) : value);
                case "allOf", "anyOf", "oneOf" -> {
                  ArrayNode schemas = out.putArray(name);
                  value.forEach(schema -> schemas.add(toJsonSchema(schema)));
                }
                default -> out.set(name, value);
              }
            });
    if (openApi.path("nullable").asBoolean(false) && openApi.path("type").isTextual()) {
      out.putArray("type").add(openApi.get("type").asText()).add("null");
    }
    return out;
  }

  private FieldError toFieldError(ValidationMessage message) {
    String field = path(message.getInstanceLocation());
    JsonNode instance = message.getInstanceNode();
    JsonNode keyword =
        jsonSchemaDocument.at(
            message.getSchemaLocation().getFragment().toString().replaceFirst("^#", ""));
    String in = field + " in body";
    return switch (message.getType()) {
      case "required" ->
          new FieldError(child(field, message.getProperty()), FieldError.Type.REQUIRED, "", "");
      case "enum" -> {
        List<String> supported = new ArrayList<>();
        keyword.forEach(value -> supported.add(render(value)));
        yield new FieldError(
            field,
            FieldError.Type.UNSUPPORTED,
            render(instance),
            "supported values: " + String.join(", ", supported));
      }
      case "type" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              '"' + typeOf(instance) + '"',
              in + " must be of type " + typeText(keyword) + ": \"" + typeOf(instance) + '"');
      case "pattern" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              render(instance),
              in + " should match '" + keyword.asText() + "'");
      case "minimum" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              render(instance),
              in + " should be greater than or equal to " + number(keyword));
      case "maximum" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              render(instance),
              in + " should be less than or equal to " + number(keyword));
      case "minLength" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              render(instance),
              in + " should be at least " + keyword.asInt() + " chars long");
      case "maxLength" ->
          new FieldError(
              field,
              FieldError.Type.TOO_LONG,
              "",
              "may not be more than " + keyword.asInt() + " bytes");
      case "minItems" ->
          new FieldError(
              field,
              FieldError.Type.INVALID,
              String.valueOf(instance.size()),
              in + " should have at least " + keyword.asInt() + " items");
      case "maxItems" ->
          new FieldError(
              field,
              FieldError.Type.TOO_MANY,
              String.valueOf(instance.size()),
              "must have at most " + keyword.asInt() + " items");
      default ->
          new FieldError(field, FieldError.Type.INVALID, render(instance), message.getMessage());
    };
  }

  // ---- CEL rules ----

  private void compileRules(JsonNode schema) {
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .build();
    CelRuntime runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();
    List<String> failures = new ArrayList<>();
    forEachSchema(
        schema,
        node -> {
          for (JsonNode validation : node.path("x-kubernetes-validations")) {
            String rule = validation.path("rule").asText();
            if (KUBERNETES_LIBRARY_CALL.matcher(rule).find()) {
              skippedRules.add(rule);
              continue;
            }
            CelValidationResult compiled = compiler.compile(rule);
            if (compiled.hasError()) {
              failures.add(rule + ": " + compiled.getErrorString());
              continue;
            }
            try {
              rules.put(rule, runtime.createProgram(compiled.getAst()));
            } catch (Exception e) {
              failures.add(rule + ": " + e.getMessage());
            }
          }
        });
    if (!failures.isEmpty()) {
      throw new IllegalArgumentException("CEL rules that do not compile: " + failures);
    }
  }

  private static void forEachSchema(JsonNode schema, java.util.function.Consumer<JsonNode> action) {
    action.accept(schema);
    schema.path("properties").forEach(property -> forEachSchema(property, action));
    if (schema.path("items").isObject()) {
      forEachSchema(schema.get("items"), action);
    }
    if (schema.path("additionalProperties").isObject()) {
      forEachSchema(schema.get("additionalProperties"), action);
    }
  }

  private void evaluateRules(JsonNode data, JsonNode schema, String path, List<FieldError> errors) {
    if (data == null || data.isMissingNode() || data.isNull()) {
      return;
    }
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      if (rules.containsKey(validation.path("rule").asText())) {
        evaluateRule(validation, data, schema, path, errors);
      }
    }
    if (data.isObject()) {
      schema
          .path("properties")
          .fields()
          .forEachRemaining(
              p ->
                  evaluateRules(
                      data.get(p.getKey()), p.getValue(), child(path, p.getKey()), errors));
      if (schema.path("additionalProperties").isObject()) {
        data.fields()
            .forEachRemaining(
                e ->
                    evaluateRules(
                        e.getValue(),
                        schema.get("additionalProperties"),
                        path + "[" + e.getKey() + "]",
                        errors));
      }
    } else if (data.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < data.size(); i++) {
        evaluateRules(data.get(i), schema.get("items"), path + "[" + i + "]", errors);
      }
    }
  }

  private void evaluateRule(
      JsonNode validation, JsonNode data, JsonNode schema, String path, List<FieldError> errors) {
    String rule = validation.path("rule").asText();
    String field = path + validation.path("fieldPath").asText("");
    if (path.isEmpty() && field.startsWith(".")) {
      field = field.substring(1);
    }
    String type = '"' + schema.path("type").asText("object") + '"';
    Object result;
    try {
      result = rules.get(rule).eval(Map.of("self", toCel(data, schema)));
    } catch (CelEvaluationException e) {
      errors.add(
          new FieldError(
              field, FieldError.Type.INVALID, type, e.getMessage() + " evaluating rule: " + rule));
      return;
    }
    if (Boolean.TRUE.equals(result)) {
      return;
    }
    String message = validation.path("message").asText("failed rule: " + rule);
    FieldError.Type errorType =
        switch (validation.path("reason").asText("FieldValueInvalid")) {
          case "FieldValueRequired" -> FieldError.Type.REQUIRED;
          case "FieldValueDuplicate" -> FieldError.Type.DUPLICATE;
          case "FieldValueForbidden" -> FieldError.Type.FORBIDDEN;
          default -> FieldError.Type.INVALID;
        };
    errors.add(new FieldError(field, errorType, type, message));
  }

  /** JSON → the values CEL sees: maps, lists, int64, double (for type number), string, bool. */
  private static Object toCel(JsonNode data, JsonNode schema) {
    if (data.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      data.fields()
          .forEachRemaining(
              field -> {
                if (!field.getValue().isNull()) {
                  JsonNode fieldSchema =
                      schema.path("properties").has(field.getKey())
                          ? schema.path("properties").get(field.getKey())
                          : schema.path("additionalProperties");
                  map.put(field.getKey(), toCel(field.getValue(), fieldSchema));
                }
              });
      return map;
    }
    if (data.isArray()) {
      List<Object> list = new ArrayList<>();
      data.forEach(item -> list.add(toCel(item, schema.path("items"))));
      return list;
    }
    if (data.isNumber()) {
      return "number".equals(schema.path("type").asText()) || !data.isIntegralNumber()
          ? (Object) data.asDouble()
          : (Object) data.asLong();
    }
    if (data.isBoolean()) {
      return data.asBoolean();
    }
    return data.asText();
  }

  // ---- rendering ----

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String path(JsonNodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(element);
      }
    }
    return path.toString();
  }

  /** A value as the apiserver prints it: JSON for scalars, the type name for the rest. */
  private static String render(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "null";
    }
    if (value.isContainerNode()) {
      return '"' + typeOf(value) + '"';
    }
    if (value.isNumber()) {
      return number(value);
    }
    return value.toString();
  }

  private static String number(JsonNode value) {
    double number = value.asDouble();
    return number == Math.rint(number) && Math.abs(number) < 1e15
        ? Long.toString((long) number)
        : value.asText();
  }

  private static String typeOf(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT, POJO -> "object";
      case ARRAY -> "array";
      case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
      case BOOLEAN -> "boolean";
      case NULL, MISSING -> "null";
      default -> "string";
    };
  }

  private static String typeText(JsonNode typeKeyword) {
    if (typeKeyword.isArray()) {
      List<String> types = new ArrayList<>();
      typeKeyword.forEach(t -> types.add(t.asText()));
      return String.join(" or ", types);
    }
    return typeKeyword.asText();
  }
}
