package io.homenvr.pipeline.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Where free space comes from: the real filesystem, or a test's own numbers. */
public interface DiskSpace {
  DiskUsage usage(Path path) throws IOException;
}
