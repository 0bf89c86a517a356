package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A second volume (a NAS claim) that closed event clips are copied to. */
public class OffloadSpec {
  @Required
  @Size(min = 1, max = 253)
  @Pattern(Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "An existing PersistentVolumeClaim in this namespace (e.g. an NFS share of the NAS),"
          + " mounted at /offload; the operator never creates or deletes it. Each closed event"
          + " (motion or alert, with its rolls) is copied there as one MP4. A missing or full"
          + " volume is reported and never blocks recording.")
  private String claimName;

  @Default("90")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("Clips on the second volume older than this many days are deleted.")
  private Integer retainDays = 90;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public Integer getRetainDays() {
    return retainDays;
  }

  public void setRetainDays(Integer retainDays) {
    this.retainDays = retainDays;
  }
}
