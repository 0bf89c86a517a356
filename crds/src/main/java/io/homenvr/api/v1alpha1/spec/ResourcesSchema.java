package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Map;

/**
 * The schema of {@code spec.pipeline.resources}, which holds a Kubernetes ResourceRequirements: its
 * requests and limits, bounded so that the API server can afford to check every quantity (it
 * refuses a CRD whose rules may cost too much on unbounded maps and strings).
 */
public final class ResourcesSchema {
  private static final String QUANTITIES = "self.all(r, isQuantity(string(self[r])))";

  @Size(max = 8)
  @ValidationRule(
      value = QUANTITIES,
      message = "every request must be a quantity such as 500m (CPU) or 512Mi (memory)")
  @JsonPropertyDescription(
      "Resources reserved for the container when it is scheduled, e.g. cpu: 250m, memory:"
          + " 512Mi.")
  public Map<String, IntOrString> requests;

  @Size(max = 8)
  @ValidationRule(
      value = QUANTITIES,
      message = "every limit must be a quantity such as 2 (CPU) or 1536Mi (memory)")
  @JsonPropertyDescription(
      "Most of each resource the container may use, e.g. cpu: \"2\", memory: 1536Mi.")
  public Map<String, IntOrString> limits;

  private ResourcesSchema() {}
}
