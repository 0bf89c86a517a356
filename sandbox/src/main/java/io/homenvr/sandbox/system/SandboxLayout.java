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
      String dependencies = Files.readString(classpathFile).trim();
      String classpath = root.resolve("sandbox/target/classes") + ":" + dependencies;
      return new SandboxLayout(root, runDir.toAbsolutePath(), classpath);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "build the sandbox first (" + classpathFile + " is missing): bin/sandbox does", e);
    }
  }
}
