package io.homenvr.aifix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Claude Code CLI at the version the image pins (aifix/Dockerfile's CLAUDE_CODE_VERSION),
 * installed once from npm into ~/.cache/homenvr/claude-code/&lt;version&gt; and reused after.
 */
final class ClaudeCli {
  private static final Pattern PINNED = Pattern.compile("(?m)^ARG CLAUDE_CODE_VERSION=(\\S+)$");

  private ClaudeCli() {}

  static String pinnedVersion() throws IOException {
    Matcher version = PINNED.matcher(Files.readString(Path.of("Dockerfile")));
    if (!version.find()) {
      throw new IllegalStateException("aifix/Dockerfile pins no CLAUDE_CODE_VERSION");
    }
    return version.group(1);
  }

  /** The {@code claude} executable, installed if the cache has none. */
  static synchronized Path install() throws Exception {
    String version = pinnedVersion();
    Path cache =
        Path.of(System.getProperty("user.home"), ".cache", "homenvr", "claude-code", version);
    Path claude = cache.resolve("node_modules/.bin/claude");
    if (Files.isExecutable(claude)) {
      return claude;
    }
    // install beside, then move into place: a half-finished install is never taken for one
    Files.createDirectories(cache.getParent());
    Path partial = Files.createTempDirectory(cache.getParent(), version + ".partial-");
    run(
        List.of(
            "npm",
            "install",
            "--no-save",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
            "--prefix",
            partial.toString(),
            "@anthropic-ai/claude-code@" + version),
        600);
    Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
    return claude;
  }

  static String run(List<String> command, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile("claude-cli", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " took more than " + timeoutSeconds + " s");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
