package io.homenvr.operator.aifix;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.KnownHostsRef;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.operator.CameraMonitors;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Job as rendered, and the termination message as the entrypoint writes it. */
class AiFixJobsTest {
  private static final String INCIDENT = "20260301-120000-g1";

  static CameraMonitor monitor(String url) {
    CameraMonitor monitor = CameraMonitors.home("nvr");
    monitor.getMetadata().setUid("uid-1");
    AiFixSpec aiFix = monitor.getSpec().getEscalation().getAiFix();
    aiFix.setEnabled(true);
    RepositorySpec repository = new RepositorySpec();
    repository.setUrl(url);
    repository.setCredentialsSecretRef(new SecretKeyRef("git", "credential"));
    aiFix.setRepository(repository);
    aiFix.setApiKeySecretRef(new SecretKeyRef("anthropic", "key"));
    return monitor;
  }

  private static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  private static Map<String, EnvVar> env(Job job) {
    return pod(job).getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  @Test
  void theAgentsCapsModelAndToolsComeFromTheSpec() {
    CameraMonitor monitor = monitor("https://git.lan/me/pipeline.git");
    AiFixSpec aiFix = monitor.getSpec().getEscalation().getAiFix();
    aiFix.setModel("opus");
    aiFix.setMaxTurns(25);
    aiFix.setMaxBudgetUsd(0.5);
    aiFix.setTestCommand("./mvnw -q -pl nvr-image test");
    aiFix.setAllowedTools(List.of("Read", "Grep", "Bash(gradle check)"));

    Map<String, EnvVar> env =
        env(new AiFixJobs(null, "homenvr-aifix:test").job(monitor, INCIDENT, "job"));

    assertThat(env.get("AIFIX_MODEL").getValue()).isEqualTo("opus");
    assertThat(env.get("AIFIX_MAX_TURNS").getValue()).isEqualTo("25");
    assertThat(env.get("AIFIX_MAX_BUDGET_USD").getValue()).isEqualTo("0.5");
    assertThat(env.get("AIFIX_TEST_COMMAND").getValue()).isEqualTo("./mvnw -q -pl nvr-image test");
    assertThat(env.get("AIFIX_ALLOWED_TOOLS").getValue())
        .isEqualTo("Read\nGrep\nBash(gradle check)");
    assertThat(env.get("AIFIX_BRANCH").getValue()).isEqualTo("homenvr/fix-" + INCIDENT);
    assertThat(env.get("AIFIX_PUSH_MODE").getValue()).isEqualTo("branch");
  }

  @Test
  void theDefaultsAreSane() {
    Map<String, EnvVar> env =
        env(
            new AiFixJobs(null, "homenvr-aifix:test")
                .job(monitor("https://git.lan/p.git"), INCIDENT, "job"));

    assertThat(env.get("AIFIX_MODEL").getValue()).isEqualTo("sonnet");
    assertThat(env.get("AIFIX_MAX_TURNS").getValue()).isEqualTo("40");
    assertThat(env.get("AIFIX_MAX_BUDGET_USD").getValue()).isEqualTo("2.0");
    assertThat(env.get("AIFIX_TEST_COMMAND").getValue()).isEqualTo("mvn -B -q test");
    assertThat(env.get("AIFIX_ALLOWED_TOOLS").getValue())
        .isEqualTo("Read\nEdit\nWrite\nGlob\nGrep");
    // the token only ever as a secret reference, for the entrypoint (which keeps it from the agent)
    assertThat(env.get("GIT_TOKEN").getValue()).isNull();
    assertThat(env.get("GIT_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo("git");
    assertThat(env).doesNotContainKey("AIFIX_SSH_KNOWN_HOSTS_FILE");
  }

  @Test
  void sshGetsTheKeyFileAndThePinnedHostKeysNoServiceAccountTokenAndNonRoot() {
    CameraMonitor monitor = monitor("git@git.lan:me/pipeline.git");
    monitor
        .getSpec()
        .getEscalation()
        .getAiFix()
        .getRepository()
        .setKnownHostsRef(
            new KnownHostsRef(KnownHostsRef.Kind.CONFIG_MAP, "git-hosts", "known_hosts"));

    Job job = new AiFixJobs(null, "homenvr-aifix:test").job(monitor, INCIDENT, "job");

    Map<String, EnvVar> env = env(job);
    assertThat(env).doesNotContainKey("GIT_TOKEN");
    assertThat(env.get("GIT_SSH_KEY_FILE").getValue()).isEqualTo("/etc/homenvr/git/id");
    assertThat(env.get("AIFIX_SSH_KNOWN_HOSTS_FILE").getValue())
        .isEqualTo("/etc/homenvr/known-hosts/known_hosts");
    var hosts =
        pod(job).getVolumes().stream()
            .filter(v -> v.getName().equals("known-hosts"))
            .findFirst()
            .orElseThrow();
    assertThat(hosts.getConfigMap().getName()).isEqualTo("git-hosts");
    assertThat(hosts.getConfigMap().getItems().get(0).getKey()).isEqualTo("known_hosts");
    assertThat(pod(job).getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getName().equals("known-hosts") && m.getReadOnly());
    assertThat(pod(job).getAutomountServiceAccountToken()).isFalse();
    assertThat(pod(job).getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod(job).getContainers().get(0).getSecurityContext().getAllowPrivilegeEscalation())
        .isFalse();

    monitor
        .getSpec()
        .getEscalation()
        .getAiFix()
        .getRepository()
        .setKnownHostsRef(new KnownHostsRef(KnownHostsRef.Kind.SECRET, "git-hosts", "hosts"));
    var fromSecret =
        pod(new AiFixJobs(null, "img").job(monitor, INCIDENT, "job")).getVolumes().stream()
            .filter(v -> v.getName().equals("known-hosts"))
            .findFirst()
            .orElseThrow();
    assertThat(fromSecret.getSecret().getSecretName()).isEqualTo("git-hosts");
  }

  @Test
  void theEntrypointsTerminationMessageIsReadWhole() {
    AiFixResult result =
        AiFixJobs.parse(
            """
            {"outcome":"fixed","summary":"Closed the reader from its own thread.","commit":"abc123",
             "branch":"homenvr/fix-1","diff":{"files":2,"insertions":3,"deletions":1,"paths":["A.java","B.java"]},
             "agent":{"isError":false,"subtype":"success","turns":7,"costUsd":0.1235,"deniedToolCalls":1},
             "diagnosis":{"cause":"stop() from the watchdog","evidence":["grab() blocked 18 s"],"confidence":"high"},
             "proposal":{"type":"config","field":"vision.timeoutSeconds","value":90},"future":"ignored"}
            """);

    assertThat(result.fixed()).isTrue();
    assertThat(result.diff()).isEqualTo(new AiFixResult.Diff(2, 3, 1, List.of("A.java", "B.java")));
    assertThat(result.agent())
        .isEqualTo(new AiFixResult.Agent(false, "success", 7, 0.1235, 1, null));
    assertThat(result.diagnosis())
        .isEqualTo(
            new AiFixResult.Diagnosis(
                "stop() from the watchdog", List.of("grab() blocked 18 s"), "high"));
    assertThat(result.proposal().get("field").asText()).isEqualTo("vision.timeoutSeconds");
    assertThat(AiFixJobs.parse("{\"outcome\":\"no-fix\",\"summary\":\"nothing\"}").diagnosis())
        .isNull();
  }
}
