package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The pipeline's data volume and its retention, so the disk never fills. */
public class StorageSpec {
  @Default("20Gi")
  @Size(max = 64)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
      message = "must be a positive quantity such as 20Gi")
  @JsonPropertyDescription("Size of the PersistentVolumeClaim, e.g. 20Gi.")
  private String size = "20Gi";

  @Size(max = 253)
  @Pattern("^$|" + Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "StorageClass of the claim; empty uses the cluster default (local-path on k3s).")
  private String storageClassName;

  @Default("7")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("Alert snapshots older than this many days are deleted.")
  private Integer retentionDays = 7;

  @Default("10")
  @Min(1)
  @Max(90)
  @JsonPropertyDescription(
      "Below this much free space (or free inodes), in percent, the oldest snapshots are"
          + " deleted first.")
  private Integer minFreePercent = 10;

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public Integer getRetentionDays() {
    return retentionDays;
  }

  public void setRetentionDays(Integer retentionDays) {
    this.retentionDays = retentionDays;
  }

  public Integer getMinFreePercent() {
    return minFreePercent;
  }

  public void setMinFreePercent(Integer minFreePercent) {
    this.minFreePercent = minFreePercent;
  }
}
