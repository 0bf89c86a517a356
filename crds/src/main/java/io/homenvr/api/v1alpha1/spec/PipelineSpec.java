package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the pipeline workload runs. */
public class PipelineSpec {
  @Size(max = 512)
  @Pattern(Names.IMAGE)
  @JsonPropertyDescription(
      "Pipeline container image; defaults to the homenvr-pipeline image the operator was"
          + " released with. The operator never writes it: an AI fix's image runs instead while"
          + " status.overrides holds it.")
  private String image;

  @Default("IfNotPresent")
  @Pattern("^(Always|IfNotPresent|Never)$")
  @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never.")
  private String imagePullPolicy = "IfNotPresent";

  @SchemaFrom(type = ResourcesSchema.class)
  @JsonPropertyDescription(
      "CPU and memory for the pipeline container. Defaults: requests 250m/512Mi, limits"
          + " 2 CPU/1536Mi. Decoding costs about 10-30 % of a core per 1080p camera.")
  private ResourceRequirements resources;

  @Size(max = 64)
  @ValidationRule(
      value = Names.NODE_SELECTOR_KEYS,
      message =
          "keys must be label keys: an optional DNS subdomain and '/', then at most 63 letters,"
              + " digits, '-', '_' or '.', starting and ending with a letter or digit")
  @JsonPropertyDescription(
      "Node labels the pipeline pod must run on (e.g. kubernetes.io/hostname: nvr-node), at"
          + " most 64.")
  private Map<String, @Pattern(Names.LABEL_VALUE) String> nodeSelector = new LinkedHashMap<>();

  @Size(max = 32)
  @JsonPropertyDescription(
      "Tolerations for the pipeline pod, at most 32 (e.g. to run on a tainted node near the"
          + " cameras).")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Persistent storage for recordings and alert snapshots. Without it, an emptyDir of 2Gi"
          + " (lost with the pod).")
  private StorageSpec storage;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }
}
