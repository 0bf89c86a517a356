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
  @JsonPropertyDescription(
      "Alert snapshots older than this many days are deleted; recordings follow each camera's"
          + " record.retainDays and record.eventRetainDays.")
  private Integer retentionDays = 7;

  @Default("10")
  @Min(1)
  @Max(90)
  @JsonPropertyDescription(
      "Below this much free space, in percent, the oldest data is deleted before its time,"
          + " recordings and snapshots alike: the oldest continuous footage goes first, event"
          + " footage last.")
  private Integer minFreePercent = 10;

  @Default("5")
  @Min(1)
  @Max(90)
  @JsonPropertyDescription(
      "Below this many free inodes, in percent, the oldest data is deleted as for"
          + " minFreePercent.")
  private Integer minFreeInodesPercent = 5;

  @Size(max = 64)
  @ValidationRule(
      value = "isQuantity(self) && quantity(self).compareTo(quantity('64Mi')) >= 0",
      message = "must be a quantity of at least 64Mi such as 50Gi")
  @JsonPropertyDescription(
      "Most space recordings may take, at least 64Mi, e.g. 50Gi; the oldest continuous footage"
          + " goes first when they reach it. Unset, recordings may take 90 % of the volume.")
  private String recordingsMaxSize;

  @JsonPropertyDescription(
      "Optional: copy each closed event's clip to a second volume (a NAS claim) with its own"
          + " retention.")
  private OffloadSpec offload;

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

  public Integer getMinFreeInodesPercent() {
    return minFreeInodesPercent;
  }

  public void setMinFreeInodesPercent(Integer minFreeInodesPercent) {
    this.minFreeInodesPercent = minFreeInodesPercent;
  }

  public String getRecordingsMaxSize() {
    return recordingsMaxSize;
  }

  public void setRecordingsMaxSize(String recordingsMaxSize) {
    this.recordingsMaxSize = recordingsMaxSize;
  }

  public OffloadSpec getOffload() {
    return offload;
  }

  public void setOffload(OffloadSpec offload) {
    this.offload = offload;
  }
}
