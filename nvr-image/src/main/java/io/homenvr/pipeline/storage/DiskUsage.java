package io.homenvr.pipeline.storage;

/** Space of one filesystem; inode counts are -1 when the filesystem does not report them. */
public record DiskUsage(long totalBytes, long freeBytes, long totalInodes, long freeInodes) {

  public double freePercent() {
    return totalBytes <= 0 ? 100.0 : freeBytes * 100.0 / totalBytes;
  }

  /** Null when unknown (btrfs, some overlay and network filesystems report no inodes). */
  public Double freeInodesPercent() {
    return totalInodes <= 0 ? null : freeInodes * 100.0 / totalInodes;
  }
}
