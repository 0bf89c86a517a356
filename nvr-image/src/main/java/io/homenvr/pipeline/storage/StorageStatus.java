package io.homenvr.pipeline.storage;

/** The data volume for {@code /status}; {@code freeInodesPercent} null when not reported. */
public record StorageStatus(
    String path,
    long usedBytes,
    long snapshotFiles,
    long deletedTotal,
    long freeBytes,
    long totalBytes,
    double freePercent,
    Double freeInodesPercent,
    String lastError) {}
