package io.homenvr.sandbox.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The bare git repository the AI-fix Job clones and pushes to in the sandbox. */
final class SandboxGitRepository {
  private SandboxGitRepository() {}

  static void create(Path bare, Path seed) throws IOException {
    if (Files.exists(bare)) {
      return;
    }
    Files.createDirectories(seed);
    Files.writeString(
        seed.resolve("README.md"),
        "The sandbox's stand-in for the pipeline's repository; the stub agent commits here.\n");
    git(seed, "init", "--quiet", "--initial-branch=main");
    git(seed, "add", "README.md");
    git(
        seed,
        "-c",
        "user.name=homenvr sandbox",
        "-c",
        "user.email=sandbox@homenvr.invalid",
        "commit",
        "--quiet",
        "-m",
        "seed");
    git(seed.getParent(), "clone", "--quiet", "--bare", seed.toString(), bare.toString());
  }

  private static void git(Path directory, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    io.homenvr.testing.ChildProcess.run(java.time.Duration.ofSeconds(30), directory, command);
  }
}
