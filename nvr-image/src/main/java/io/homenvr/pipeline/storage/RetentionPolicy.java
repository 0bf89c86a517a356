package io.homenvr.pipeline.storage;

import io.homenvr.pipeline.config.PipelineConfig.StorageConfig;
import java.time.Duration;

/** When alert snapshots are deleted, oldest first. */
public record RetentionPolicy(
    Duration maxAge, long maxBytes, double minFreePercent, double minFreeInodesPercent) {

  public static RetentionPolicy of(StorageConfig config) {
    return new RetentionPolicy(
        config.retention(),
        config.maxBytes(),
        config.minFreePercent(),
        config.minFreeInodesPercent());
  }
}
