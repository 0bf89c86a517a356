package io.homenvr.sandbox.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are: the homenvr checkout, the run directory (kubeconfig, pod directories, logs) and
 * the class path the operator and the pipeline run with.
 *
 * @param repositoryRoot the homenvr checkout
 * @param runDir where this run keeps its files
 * @param classpath class path of the sandbox module (operator, pipeline and their dependencies)
 */
public record SandboxLayout(Path repositoryRoot, Path runDir, String classpath) {

  /**
   * The layout of a build: the checkout found upwards from the working directory, the class path
   * from {@code sandbox/target/sandbox.classpath} plus the module's classes.
   */
  public static SandboxLayout of(Path runDir) {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("sandbox/pom.xml"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException(
          "run the sandbox from inside the homenvr checkout (no sandbox/pom.xml above "
              + Path.of("").toAbsolutePath()
              + ")");
    }
    Path classpathFile = root.resolve("sandbox/target/sandbox.classpath");
    try {
      String dependencies = snapshotHomenvrJars(Files.readString(classpathFile).trim(), runDir);
      String classpath = root.resolve("sandbox/target/classes") + ":" + dependencies;
      return new SandboxLayout(root, runDir.toAbsolutePath(), classpath);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "build the sandbox first (" + classpathFile + " is missing): bin/sandbox does", e);
    }
  }

  /**
   * Copies homenvr's own jars (operator, pipeline, API) into the run directory: a rebuild while the
   * sandbox runs would otherwise swap classes under the running JVMs.
   */
  private static String snapshotHomenvrJars(String classpath, Path runDir) throws IOException {
    Path lib = runDir.toAbsolutePath().resolve("lib");
    Files.createDirectories(lib);
    StringBuilder snapshot = new StringBuilder();
    for (String entry : classpath.split(":")) {
      Path path = Path.of(entry);
      if (entry.contains("/io/homenvr/") && entry.endsWith(".jar")) {
        Path copy = lib.resolve(path.getFileName());
        Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        path = copy;
      }
      snapshot.append(snapshot.length() == 0 ? "" : ":").append(path);
    }
    return snapshot.toString();
  }
}
