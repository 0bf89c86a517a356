package io.homenvr.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.pipeline.testing.ImageFlagsChild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as the operator runs it: uid 10001, read-only root, only /tmp (and /data) writable, its
 * own JAVA_TOOL_OPTIONS. No Docker daemon here, so the Dockerfile's and Jib's settings are read and
 * the JVM flags are run for real in a child JVM.
 */
class ContainerImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CACHE_FLAG = "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp";
  private static final String OOM_FLAG = "-XX:+ExitOnOutOfMemoryError";

  @TempDir Path tmp;

  /** Instructions of the final stage, continuation lines joined. */
  private static List<String> runtimeStage() throws IOException {
    String joined = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\n\\s*", " ");
    List<String> stage = new ArrayList<>();
    for (String line : joined.split("\n")) {
      if (line.startsWith("FROM ")) {
        stage.clear();
      }
      if (!line.isBlank() && !line.startsWith("#")) {
        stage.add(line.strip());
      }
    }
    return stage;
  }

  private static List<String> instruction(String name) throws IOException {
    String json =
        runtimeStage().stream()
            .filter(line -> line.startsWith(name + " "))
            .reduce((first, last) -> last)
            .orElseThrow()
            .substring(name.length() + 1);
    return Arrays.asList(JSON.readValue(json, String[].class));
  }

  @Test
  void theImageRunsAsUid10001WithItsVitalJvmFlagsOnTheCommandLine() throws IOException {
    assertThat(runtimeStage()).contains("USER 10001:10001");
    // the operator sets JAVA_TOOL_OPTIONS itself, replacing the image's: flags there would be lost
    assertThat(instruction("ENTRYPOINT"))
        .startsWith("java")
        .contains(CACHE_FLAG, OOM_FLAG)
        .endsWith("-jar", "/app/homenvr-pipeline.jar");
    assertThat(instruction("CMD")).containsExactly("--config", "/etc/homenvr/pipeline.yaml");
  }

  @Test
  void theBuildStageHasEveryReactorModulePom() throws IOException {
    String parent = Files.readString(Path.of("../pom.xml"));
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    int modules = 0;
    while (module.find()) {
      modules++;
      assertThat(dockerfile).contains("COPY " + module.group(1) + "/pom.xml " + module.group(1));
    }
    assertThat(modules).isPositive();
  }

  @Test
  void jibBuildsTheSameImage() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom)
        .contains("<jvmFlag>" + CACHE_FLAG + "</jvmFlag>")
        .contains("<jvmFlag>" + OOM_FLAG + "</jvmFlag>")
        .contains("<user>10001:10001</user>")
        .contains("<arg>/etc/homenvr/pipeline.yaml</arg>");
  }

  /**
   * The ENTRYPOINT's flags with /tmp moved to a temp dir, an unwritable home and the operator's
   * JAVA_TOOL_OPTIONS: natives load from the cache dir, and an OutOfMemoryError ends the JVM (exit
   * code 3) although live threads would otherwise keep it running.
   */
  @Test
  void nativesLoadFromTmpAndAnOutOfMemoryErrorEndsTheJvm() throws Exception {
    Path cache = tmp.resolve("javacpp");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : instruction("ENTRYPOINT")) {
      if (flag.startsWith("-D") || flag.startsWith("-XX")) {
        command.add(flag.replace("/tmp/javacpp", cache.toString()));
      }
    }
    command.addAll(
        List.of(
            "-Xmx64m",
            "-Duser.home=/proc/no-home",
            "-cp",
            System.getProperty("java.class.path"),
            ImageFlagsChild.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HOME", "/proc/no-home");
    builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
    Process child = builder.start();
    boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly();
    }
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("JVM still running after OutOfMemoryError:\n" + output).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(3);
    assertThat(output)
        .contains("natives cache: " + cache)
        .contains("Terminating due to java.lang.OutOfMemoryError");
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.map(Path::getFileName).map(Path::toString))
          .anyMatch(name -> name.startsWith("libavutil.so"));
    }
  }
}
