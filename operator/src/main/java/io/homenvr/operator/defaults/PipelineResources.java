package io.homenvr.operator.defaults;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pipeline container's CPU and memory: the spec's values over homenvr's defaults. */
public final class PipelineResources {
  /** Enough for a few 1080p cameras at 5 fps of motion analysis; decoding is the main cost. */
  public static final Map<String, Quantity> DEFAULT_REQUESTS =
      Map.of("cpu", new Quantity("250m"), "memory", new Quantity("512Mi"));

  public static final Map<String, Quantity> DEFAULT_LIMITS =
      Map.of("cpu", new Quantity("2"), "memory", new Quantity("1536Mi"));

  private PipelineResources() {}

  /** Each of requests and limits key by key: what the spec says, else the default. */
  public static ResourceRequirements effective(ResourceRequirements fromSpec) {
    return new ResourceRequirementsBuilder()
        .withRequests(merge(DEFAULT_REQUESTS, fromSpec == null ? null : fromSpec.getRequests()))
        .withLimits(merge(DEFAULT_LIMITS, fromSpec == null ? null : fromSpec.getLimits()))
        .build();
  }

  private static Map<String, Quantity> merge(
      Map<String, Quantity> defaults, Map<String, Quantity> given) {
    Map<String, Quantity> merged = new LinkedHashMap<>();
    merged.put("cpu", defaults.get("cpu"));
    merged.put("memory", defaults.get("memory"));
    if (given != null) {
      merged.putAll(given);
    }
    return merged;
  }
}
