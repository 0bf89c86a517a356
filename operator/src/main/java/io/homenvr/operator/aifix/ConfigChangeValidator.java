package io.homenvr.operator.aifix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.ConfigFixesSpec;
import io.homenvr.api.v1alpha1.spec.HealthSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.defaults.PipelineResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Judges the configuration change an AI-fix agent proposed (its termination message's {@code
 * proposal}) against a whitelist, the current spec and the user's caps. Pure: the ladder asks, then
 * applies an {@link Verdict.Accepted} change as a recorded override ({@link
 * Verdict.Accepted#applyTo}), verifies and reverts it itself. Whatever the agent wrote — including
 * text that reads as instructions — only a whitelisted field within its bounds is ever accepted.
 */
public final class ConfigChangeValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROPERTIES =
      Set.of("type", "field", "camera", "value", "reason");
  private static final Pattern MEMORY =
      Pattern.compile("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$");
  private static final BigDecimal MIN_MEMORY = Quantity.getAmountInBytes(new Quantity("64Mi"));
  private static final String CAPS = "spec.escalation.aiFix.configFixes";
  private static final int MAX_REASON = 500;

  /** What has been applied before, from the incident history in status. */
  public record History(Instant lastAppliedAt, boolean appliedInThisIncident) {
    public static final History NONE = new History(null, false);
  }

  /** The answer for one proposal. */
  public sealed interface Verdict {
    /** The proposal is not a configuration change (none, or a code change): nothing to apply. */
    record NotConfig(String type) implements Verdict {}

    /**
     * Within bounds. {@code specPath} names the field in the spec ({@code
     * spec.cameras[name=gate].detect.fps}); {@code from} and {@code to} are the values as text.
     */
    record Accepted(ConfigChange change, Field field, String specPath, String from, String to)
        implements Verdict {
      /** A copy of {@code spec} with the change made: what the pipeline runs while overridden. */
      public CameraMonitorSpec applyTo(CameraMonitorSpec spec) {
        CameraMonitorSpec copy = copy(spec);
        field.apply.accept(copy, change);
        return copy;
      }

      /** For the human: the line to put in their spec to keep the change. */
      public String permanentChange() {
        return "set %s to %s (was %s)".formatted(specPath, to, from);
      }
    }

    /** Not applied; {@code field} names what was wrong (a spec path or a proposal property). */
    record Refused(String field, String reason) implements Verdict {}
  }

  /** The fields an agent may change, each with its own bounds. */
  public enum Field {
    PIPELINE_MEMORY_REQUEST(
        "pipeline.resources.requests.memory",
        (spec, change) -> resources(spec).getRequests().put("memory", quantity(change))),
    PIPELINE_MEMORY_LIMIT(
        "pipeline.resources.limits.memory",
        (spec, change) -> resources(spec).getLimits().put("memory", quantity(change))),
    CAMERA_TRANSPORT(
        "camera.transport",
        (spec, change) ->
            camera(spec, change.camera())
                .setTransport(CameraSpec.Transport.valueOf(change.value().asText().toUpperCase()))),
    CAMERA_DETECT_FPS(
        "camera.detect.fps",
        (spec, change) ->
            camera(spec, change.camera()).getDetect().setFps(change.value().intValue())),
    CAMERA_DETECT_WIDTH(
        "camera.detect.width",
        (spec, change) ->
            camera(spec, change.camera()).getDetect().setWidth(change.value().intValue())),
    VISION_TIMEOUT_SECONDS(
        "vision.timeoutSeconds",
        (spec, change) -> spec.getVision().setTimeoutSeconds(change.value().intValue())),
    VISION_MAX_CONCURRENT(
        "vision.maxConcurrent",
        (spec, change) -> spec.getVision().setMaxConcurrent(change.value().intValue())),
    HEALTH_FRAME_STALE_SECONDS(
        "health.frameStaleSeconds",
        (spec, change) -> health(spec).setFrameStaleSeconds(change.value().intValue())),
    HEALTH_LOG_STALE_SECONDS(
        "health.logStaleSeconds",
        (spec, change) -> health(spec).setLogStaleSeconds(change.value().intValue())),
    HEALTH_CPU_SPIN_MILLICORES(
        "health.cpuSpinMillicores",
        (spec, change) -> health(spec).setCpuSpinMillicores(change.value().intValue()));

    /** As the agent names it. */
    public final String key;

    private final BiConsumer<CameraMonitorSpec, ConfigChange> apply;

    Field(String key, BiConsumer<CameraMonitorSpec, ConfigChange> apply) {
      this.key = key;
      this.apply = apply;
    }

    static final Map<String, Field> BY_KEY =
        Arrays.stream(values()).collect(Collectors.toMap(f -> f.key, Function.identity()));
  }

  private ConfigChangeValidator() {}

  /**
   * @param proposal the termination message's {@code proposal} (null when there was none)
   * @param spec the CameraMonitor's current spec (overrides not applied)
   * @param history configuration changes applied before
   * @param now the ladder's clock
   */
  public static Verdict validate(
      JsonNode proposal, CameraMonitorSpec spec, History history, Instant now) {
    if (proposal == null || proposal.isNull() || proposal.isMissingNode()) {
      return new Verdict.NotConfig("none");
    }
    if (!proposal.isObject()) {
      return refused("proposal", "is not a JSON object");
    }
    JsonNode type = proposal.get("type");
    if (type == null || !type.isTextual()) {
      return refused("proposal.type", "is missing: it must be config, code or none");
    }
    if (!type.asText().equals("config")) {
      return switch (type.asText()) {
        case "code", "none" -> new Verdict.NotConfig(type.asText());
        default ->
            refused("proposal.type", "'" + clip(type.asText()) + "' is not config, code or none");
      };
    }
    for (var names = proposal.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!PROPERTIES.contains(name)) {
        return refused("proposal." + clip(name), "is not a property of a configuration change");
      }
    }
    ConfigFixesSpec caps = spec.getEscalation().getAiFix().getConfigFixes();
    if (caps == null || !Boolean.TRUE.equals(caps.getEnabled())) {
      return refused(CAPS + ".enabled", "configuration fixes are off");
    }
    if (history.appliedInThisIncident()) {
      return refused("proposal", "at most one configuration change per incident");
    }
    if (history.lastAppliedAt() != null
        && now.isBefore(
            history.lastAppliedAt().plus(Duration.ofMinutes(caps.getCooldownMinutes())))) {
      return refused(
          CAPS + ".cooldownMinutes",
          "the last change was applied at %s, less than %d minutes ago"
              .formatted(history.lastAppliedAt(), caps.getCooldownMinutes()));
    }
    JsonNode fieldNode = proposal.get("field");
    Field field =
        fieldNode == null || !fieldNode.isTextual() ? null : Field.BY_KEY.get(fieldNode.asText());
    if (field == null) {
      return refused(
          "proposal.field",
          (fieldNode == null
                  ? "is missing"
                  : "'" + clip(fieldNode.asText()) + "' is not one the agent may change")
              + "; allowed: "
              + Arrays.stream(Field.values()).map(f -> f.key).collect(Collectors.joining(", ")));
    }
    JsonNode cameraNode = proposal.get("camera");
    JsonNode reasonNode = proposal.get("reason");
    if (reasonNode != null
        && !(reasonNode.isTextual() && reasonNode.asText().length() <= MAX_REASON)) {
      return refused("proposal.reason", "must be text of at most " + MAX_REASON + " characters");
    }
    JsonNode value = proposal.get("value");
    if (value == null || value.isNull()) {
      return refused("proposal.value", "is missing");
    }
    ConfigChange change =
        new ConfigChange(
            field.key,
            cameraNode != null && cameraNode.isTextual() ? cameraNode.asText() : null,
            value,
            reasonNode == null ? null : reasonNode.asText());
    if (field.key.startsWith("camera.")) {
      if (change.camera() == null) {
        return refused("proposal.camera", "names no camera: " + field.key + " needs one");
      }
      if (spec.getCameras().stream().noneMatch(c -> c.getName().equals(change.camera()))) {
        return refused(
            "proposal.camera", "'" + clip(change.camera()) + "' is not a camera of this monitor");
      }
    } else if (cameraNode != null) {
      return refused("proposal.camera", "is only for the camera.* fields");
    }
    return switch (field) {
      case PIPELINE_MEMORY_REQUEST, PIPELINE_MEMORY_LIMIT -> memory(spec, caps, field, change);
      case CAMERA_TRANSPORT -> transport(spec, change);
      case CAMERA_DETECT_FPS ->
          downOnly(change, field, camera(spec, change.camera()).getDetect().getFps(), 1);
      case CAMERA_DETECT_WIDTH ->
          downOnly(change, field, camera(spec, change.camera()).getDetect().getWidth(), 160);
      case VISION_TIMEOUT_SECONDS, VISION_MAX_CONCURRENT -> {
        VisionSpec vision = spec.getVision();
        if (vision == null) {
          yield refused("spec.vision", "is not configured");
        }
        yield field == Field.VISION_TIMEOUT_SECONDS
            ? withinTwice(change, field, vision.getTimeoutSeconds(), 1, 3600)
            : withinTwice(change, field, vision.getMaxConcurrent(), 1, 16);
      }
      case HEALTH_FRAME_STALE_SECONDS ->
          withinTwice(change, field, healthOf(spec).getFrameStaleSeconds(), 1, 86400);
      case HEALTH_LOG_STALE_SECONDS ->
          withinTwice(change, field, healthOf(spec).getLogStaleSeconds(), 1, 604800);
      case HEALTH_CPU_SPIN_MILLICORES ->
          withinTwice(change, field, healthOf(spec).getCpuSpinMillicores(), 1, 1000000);
    };
  }

  private static Verdict memory(
      CameraMonitorSpec spec, ConfigFixesSpec caps, Field field, ConfigChange change) {
    String path = "spec." + field.key;
    if (caps.getMaxMemoryLimit() == null) {
      return refused(CAPS + ".maxMemoryLimit", "is not set, so the agent may not change memory");
    }
    if (!change.value().isTextual() || !MEMORY.matcher(change.value().asText()).matches()) {
      return refused(path, "must be a memory quantity such as 3Gi");
    }
    BigDecimal bytes = Quantity.getAmountInBytes(quantity(change));
    BigDecimal cap = Quantity.getAmountInBytes(new Quantity(caps.getMaxMemoryLimit()));
    ResourceRequirements effective =
        PipelineResources.effective(
            spec.getPipeline() == null ? null : spec.getPipeline().getResources());
    Quantity current =
        (field == Field.PIPELINE_MEMORY_LIMIT ? effective.getLimits() : effective.getRequests())
            .get("memory");
    if (bytes.compareTo(MIN_MEMORY) < 0) {
      return refused(path, change.value().asText() + " is below 64Mi");
    }
    if (bytes.compareTo(cap) > 0) {
      return refused(
          path,
          "%s is above the cap %s (%s.maxMemoryLimit)"
              .formatted(change.value().asText(), caps.getMaxMemoryLimit(), CAPS));
    }
    if (bytes.compareTo(Quantity.getAmountInBytes(current)) == 0) {
      return refused(path, "is " + current + " already");
    }
    if (field == Field.PIPELINE_MEMORY_REQUEST
        && bytes.compareTo(Quantity.getAmountInBytes(effective.getLimits().get("memory"))) > 0) {
      return refused(path, "would exceed the memory limit " + effective.getLimits().get("memory"));
    }
    if (field == Field.PIPELINE_MEMORY_LIMIT
        && bytes.compareTo(Quantity.getAmountInBytes(effective.getRequests().get("memory"))) < 0) {
      return refused(
          path, "would fall below the memory request " + effective.getRequests().get("memory"));
    }
    return new Verdict.Accepted(change, field, path, current.toString(), change.value().asText());
  }

  private static Verdict transport(CameraMonitorSpec spec, ConfigChange change) {
    String path = cameraPath(spec, change);
    String value = change.value().isTextual() ? change.value().asText() : "";
    if (!value.equals("tcp") && !value.equals("udp")) {
      return refused(path, "must be tcp or udp");
    }
    String current = camera(spec, change.camera()).getTransport().name().toLowerCase();
    if (current.equals(value)) {
      return refused(path, "is " + value + " already");
    }
    return new Verdict.Accepted(change, Field.CAMERA_TRANSPORT, path, current, value);
  }

  private static Verdict downOnly(ConfigChange change, Field field, int current, int min) {
    String path = "spec.cameras[name=%s].%s".formatted(change.camera(), field.key.substring(7));
    if (!change.value().canConvertToInt() || !change.value().isIntegralNumber()) {
      return refused(path, "must be a whole number");
    }
    int value = change.value().intValue();
    if (value >= current || value < min) {
      return refused(
          path, "may only go down: %d is not in [%d, %d)".formatted(value, min, current));
    }
    return new Verdict.Accepted(
        change, field, path, String.valueOf(current), String.valueOf(value));
  }

  private static Verdict withinTwice(
      ConfigChange change, Field field, int current, int min, int max) {
    String path = "spec." + field.key;
    if (!change.value().canConvertToInt() || !change.value().isIntegralNumber()) {
      return refused(path, "must be a whole number");
    }
    int value = change.value().intValue();
    int low = Math.max(min, (current + 1) / 2);
    int high = (int) Math.min(max, 2L * current);
    if (value < low || value > high || value == current) {
      return refused(
          path,
          "%d is not within a factor of 2 of %d: allowed [%d, %d], other than %d"
              .formatted(value, current, low, high, current));
    }
    return new Verdict.Accepted(
        change, field, path, String.valueOf(current), String.valueOf(value));
  }

  private static String cameraPath(CameraMonitorSpec spec, ConfigChange change) {
    return "spec.cameras[name=%s].transport".formatted(change.camera());
  }

  private static Verdict refused(String field, String reason) {
    return new Verdict.Refused(field, reason);
  }

  private static String clip(String text) {
    return text.length() <= 80 ? text : text.substring(0, 79) + "…";
  }

  private static Quantity quantity(ConfigChange change) {
    return new Quantity(change.value().asText());
  }

  private static CameraSpec camera(CameraMonitorSpec spec, String name) {
    return spec.getCameras().stream()
        .filter(camera -> camera.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static HealthSpec healthOf(CameraMonitorSpec spec) {
    return spec.getHealth() == null ? new HealthSpec() : spec.getHealth();
  }

  private static HealthSpec health(CameraMonitorSpec spec) {
    if (spec.getHealth() == null) {
      spec.setHealth(new HealthSpec());
    }
    return spec.getHealth();
  }

  private static ResourceRequirements resources(CameraMonitorSpec spec) {
    if (spec.getPipeline() == null) {
      spec.setPipeline(new io.homenvr.api.v1alpha1.spec.PipelineSpec());
    }
    ResourceRequirements given = spec.getPipeline().getResources();
    ResourceRequirements resources = given == null ? new ResourceRequirements() : given;
    resources.setRequests(
        new LinkedHashMap<>(resources.getRequests() == null ? Map.of() : resources.getRequests()));
    resources.setLimits(
        new LinkedHashMap<>(resources.getLimits() == null ? Map.of() : resources.getLimits()));
    spec.getPipeline().setResources(resources);
    return resources;
  }

  private static CameraMonitorSpec copy(CameraMonitorSpec spec) {
    try {
      return JSON.readValue(JSON.writeValueAsBytes(spec), CameraMonitorSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whitelist as the prompt tells it to the agent. */
  public static List<String> fieldKeys() {
    return Arrays.stream(Field.values()).map(f -> f.key).toList();
  }
}
