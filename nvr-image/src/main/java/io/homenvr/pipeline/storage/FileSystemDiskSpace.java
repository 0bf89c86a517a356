package io.homenvr.pipeline.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Bytes from the JDK's {@link FileStore}; inodes from {@code df -P -i}, because the JDK has no
 * statvfs inode counts and a full inode table fails writes just like a full disk. A df that does
 * not answer within 5 s (a hung network mount) leaves the inode count unknown.
 */
public final class FileSystemDiskSpace implements DiskSpace {
  @Override
  public DiskUsage usage(Path path) throws IOException {
    FileStore store = Files.getFileStore(path);
    long[] inodes = inodes(path);
    return new DiskUsage(store.getTotalSpace(), store.getUsableSpace(), inodes[0], inodes[1]);
  }

  private static long[] inodes(Path path) {
    try {
      // wait first, read after: a df hung on a dead network mount must not hang the caller
      Process df =
          new ProcessBuilder("df", "-P", "-i", path.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!df.waitFor(5, TimeUnit.SECONDS) || df.exitValue() != 0) {
        df.destroyForcibly();
        return new long[] {-1, -1};
      }
      String out = new String(df.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // header line, then: Filesystem Inodes IUsed IFree IUse% Mounted-on
      String[] lines = out.strip().split("\n");
      String[] fields = lines[lines.length - 1].trim().split("\\s+");
      return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[3])};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {-1, -1};
    }
  }
}
