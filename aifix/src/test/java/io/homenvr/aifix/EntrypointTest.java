package io.homenvr.aifix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs entrypoint.sh with stub agents against a local bare repository. */
class EntrypointTest {
  private static final String GIT_TOKEN = "ghp_NotARealTokenButShapedLikeOne1234";
  private static final String API_KEY = "sk-ant-api03-not-a-real-key-0123456789";
  private static final Path ENTRYPOINT = Path.of("entrypoint.sh").toAbsolutePath();

  @TempDir Path dir;
  private Path origin;
  private Path terminationLog;

  @BeforeEach
  void createOrigin() throws Exception {
    origin = dir.resolve("origin.git");
    Path seed = dir.resolve("seed");
    Files.createDirectories(seed);
    run(dir, "git", "init", "--quiet", "--bare", "--initial-branch=main", origin.toString());
    run(seed, "git", "init", "--quiet", "--initial-branch=main");
    Files.writeString(seed.resolve("CameraStream.java"), "class CameraStream {}\n");
    run(seed, "git", "add", ".");
    run(
        seed,
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "--quiet",
        "-m",
        "seed");
    run(seed, "git", "push", "--quiet", origin.toUri().toString(), "main");
    terminationLog = dir.resolve("termination-log");
  }

  @Test
  void aFixIsCommittedPushedToTheIncidentBranchAndReported() throws Exception {
    Result result =
        entrypoint(
            agent(
                """
                echo 'class CameraStream { /* owner thread closes the reader */ }' > CameraStream.java
                echo '{"type":"result","result":"Closed the reader from its own thread."}'
                """),
            Map.of());

    assertThat(result.exitCode).isZero();
    String message = Files.readString(terminationLog);
    assertThat(message)
        .contains("\"outcome\":\"fixed\"", "\"branch\":\"homenvr/fix-20260301-120000-g1\"")
        .contains("Closed the reader from its own thread.");
    String pushed =
        run(
            dir,
            "git",
            "--git-dir",
            origin.toString(),
            "rev-parse",
            "homenvr/fix-20260301-120000-g1");
    assertThat(message).contains("\"commit\":\"" + pushed.trim() + "\"");
    assertThat(
            run(
                dir,
                "git",
                "--git-dir",
                origin.toString(),
                "log",
                "-1",
                "--format=%an %s",
                "homenvr/fix-20260301-120000-g1"))
        .contains("homenvr-aifix homenvr: fix for incident 20260301-120000-g1");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "log", "-1", "--format=%s", "main"))
        .as("the base branch is untouched")
        .contains("seed");
    assertNoSecrets(result, message);
  }

  @Test
  void directPushGoesToTheBaseBranch() throws Exception {
    Result result =
        entrypoint(
            agent("echo fixed >> CameraStream.java\necho done"),
            Map.of("AIFIX_PUSH_MODE", "direct"));

    assertThat(result.exitCode).isZero();
    assertThat(Files.readString(terminationLog))
        .contains("\"outcome\":\"fixed\"", "\"branch\":\"main\"");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "log", "-1", "--format=%s", "main"))
        .contains("fix for incident");
  }

  @Test
  void anAgentThatChangesNothingIsNoFix() throws Exception {
    Result result =
        entrypoint(agent("echo '{\"result\":\"Could not reproduce the freeze.\"}'"), Map.of());

    assertThat(result.exitCode).isZero();
    assertThat(Files.readString(terminationLog))
        .isEqualTo("{\"outcome\":\"no-fix\",\"summary\":\"Could not reproduce the freeze.\"}");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "branch", "--list"))
        .doesNotContain("homenvr/fix");
  }

  @Test
  void anAgentOverItsTimeBudgetIsAnError() throws Exception {
    Instant start = Instant.now();
    Result result =
        entrypoint(
            agent("echo x >> CameraStream.java\nsleep 30"), Map.of("AIFIX_TIMEOUT_SECONDS", "1"));

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    assertThat(result.exitCode).isNotZero();
    assertThat(Files.readString(terminationLog))
        .contains("\"outcome\":\"error\"", "exceeded its time budget of 1 s");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "branch", "--list"))
        .doesNotContain("homenvr/fix");
  }

  @Test
  void aFailingAgentIsAnErrorAndItsSecretsAreRedacted() throws Exception {
    Result result =
        entrypoint(agent("echo \"auth failed for key $ANTHROPIC_API_KEY\" >&2\nexit 3"), Map.of());

    assertThat(result.exitCode).isNotZero();
    String message = Files.readString(terminationLog);
    assertThat(message)
        .contains("\"outcome\":\"error\"", "exit 3", "auth failed for key [REDACTED]");
    assertNoSecrets(result, message);
  }

  @Test
  void anAgentEchoingSecretsInItsSummaryHasThemRedacted() throws Exception {
    Result result =
        entrypoint(
            agent(
                "echo y >> CameraStream.java\necho \"{\\\"result\\\":\\\"used $GIT_TOKEN and $ANTHROPIC_API_KEY\\\"}\""),
            Map.of());

    String message = Files.readString(terminationLog);
    assertThat(message).contains("\"outcome\":\"fixed\"", "used [REDACTED] and [REDACTED]");
    assertNoSecrets(result, message);
    assertThat(
            run(
                dir,
                "git",
                "--git-dir",
                origin.toString(),
                "log",
                "-1",
                "--format=%B",
                "homenvr/fix-20260301-120000-g1"))
        .doesNotContain(GIT_TOKEN, API_KEY);
  }

  @Test
  void aMissingRepositoryIsAnErrorWithAMessageEvenBeforeTheAgentRuns() throws Exception {
    Result result =
        entrypoint(
            agent("echo never"),
            Map.of("AIFIX_REPO_URL", dir.resolve("nope.git").toUri().toString()));

    assertThat(result.exitCode).isNotZero();
    assertThat(Files.readString(terminationLog))
        .contains("\"outcome\":\"error\"", "cloning the repository");
  }

  @Test
  void thePromptReachesTheAgent() throws Exception {
    entrypoint(agent("printf '%s' \"$2\" > ../seen-prompt.txt\necho ok"), Map.of());

    assertThat(Files.readString(dir.resolve("workspace/seen-prompt.txt")))
        .isEqualTo("# Incident\nfix the frozen camera\n".trim());
  }

  private Path agent(String body) throws IOException {
    Path script = dir.resolve("agent-" + System.nanoTime() + ".sh");
    Files.writeString(script, "#!/usr/bin/env bash\nset -u\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private Result entrypoint(Path agent, Map<String, String> extraEnv) throws Exception {
    Path prompt = dir.resolve("prompt.md");
    Files.writeString(prompt, "# Incident\nfix the frozen camera\n");
    ProcessBuilder builder = new ProcessBuilder("bash", ENTRYPOINT.toString());
    Map<String, String> env = builder.environment();
    env.put("AIFIX_REPO_URL", origin.toUri().toString());
    env.put("AIFIX_REPO_REF", "main");
    env.put("AIFIX_INCIDENT", "20260301-120000-g1");
    env.put("AIFIX_BRANCH", "homenvr/fix-20260301-120000-g1");
    env.put("AIFIX_PROMPT_FILE", prompt.toString());
    env.put("AIFIX_WORKSPACE", dir.resolve("workspace").toString());
    env.put("AIFIX_TERMINATION_LOG", terminationLog.toString());
    env.put("AIFIX_AGENT", agent.toString());
    env.put("AIFIX_TIMEOUT_SECONDS", "60");
    env.put("HOME", dir.resolve("workspace/home").toString());
    env.put("GIT_TOKEN", GIT_TOKEN);
    env.put("ANTHROPIC_API_KEY", API_KEY);
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.putAll(extraEnv);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    assertThat(ended).as("entrypoint ended").isTrue();
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static void assertNoSecrets(Result result, String message) {
    assertThat(result.output).doesNotContain(GIT_TOKEN, API_KEY);
    assertThat(message).doesNotContain(GIT_TOKEN, API_KEY);
  }

  private static String run(Path workDir, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    Process process =
        new ProcessBuilder(args).directory(workDir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }

  private record Result(int exitCode, String output) {}
}
