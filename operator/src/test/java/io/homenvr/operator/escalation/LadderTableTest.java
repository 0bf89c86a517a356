package io.homenvr.operator.escalation;

import static io.homenvr.operator.escalation.LadderTableTest.Seen.BROKEN;
import static io.homenvr.operator.escalation.LadderTableTest.Seen.BROKEN_DISK_FULL;
import static io.homenvr.operator.escalation.LadderTableTest.Seen.DEPENDENCY_DOWN;
import static io.homenvr.operator.escalation.LadderTableTest.Seen.HEALTHY;
import static io.homenvr.operator.escalation.LadderTableTest.Seen.IMAGE_PULL_FAILED;
import static io.homenvr.operator.escalation.Stage.AiFixRunning;
import static io.homenvr.operator.escalation.Stage.AwaitingRecovery;
import static io.homenvr.operator.escalation.Stage.External;
import static io.homenvr.operator.escalation.Stage.Idle;
import static io.homenvr.operator.escalation.Stage.NeedsHuman;
import static io.homenvr.operator.escalation.Stage.Restarting;
import static io.homenvr.operator.escalation.Stage.VerifyingFix;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.AiFixRun;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.ConfigOverride;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.ProposalVerdict;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.aifix.AiFixResult;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.notify.Reports;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ladder as a table: (stage, what the check sees, how long since the stage began or the last
 * restart) → (next stage, actions, tier reached, reports). maxRestarts 3, recoveryGraceSeconds 60,
 * backoffSeconds 10 (the 2nd restart is due 70 s after the 1st), verifySeconds 300 (a configuration
 * change: 120); camera gate detects at 5 fps. Every row checks the user's spec is left as it was.
 */
class LadderTableTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static Stream<Row> table() {
    return Stream.of(
        // stage           restarts s-in-stage  seen               → stage, tier, actions, reports
        given(Idle, 0, 0, HEALTHY).then(Idle),
        given(Idle, 0, 0, BROKEN)
            .then(AwaitingRecovery, Tier.RESTART)
            .doing(Action.CaptureEvidence.class, Action.RestartPipeline.class),
        given(Idle, 0, 0, DEPENDENCY_DOWN).then(External).reporting(Reports.DEPENDENCY_DOWN),
        given(Idle, 0, 0, BROKEN_DISK_FULL).then(External).reporting(Reports.DEPENDENCY_DOWN),
        given(External, 0, 30, DEPENDENCY_DOWN).then(External),
        given(External, 0, 30, BROKEN)
            .then(AwaitingRecovery, Tier.RESTART)
            .doing(Action.CaptureEvidence.class, Action.RestartPipeline.class),
        given(External, 0, 30, HEALTHY).then(Idle).reporting(Reports.DEPENDENCY_BACK),
        given(AwaitingRecovery, 1, 30, BROKEN).then(AwaitingRecovery),
        given(AwaitingRecovery, 1, 61, HEALTHY).then(Idle).reporting(Reports.FIXED_BY_RESTART),
        // the pipeline works again; the camera's own outage opens its incident at the next check
        given(AwaitingRecovery, 1, 61, DEPENDENCY_DOWN)
            .then(Idle)
            .reporting(Reports.FIXED_BY_RESTART),
        given(AwaitingRecovery, 1, 61, BROKEN_DISK_FULL)
            .then(External)
            .reporting(Reports.DEPENDENCY_DOWN),
        given(AwaitingRecovery, 1, 61, BROKEN).then(Restarting),
        given(Restarting, 1, 65, BROKEN).then(Restarting),
        given(Restarting, 1, 71, BROKEN)
            .then(AwaitingRecovery, Tier.RESTART)
            .doing(Action.RestartPipeline.class),
        given(Restarting, 1, 71, HEALTHY).then(Idle).reporting(Reports.FIXED_BY_RESTART),
        given(Restarting, 3, 600, BROKEN)
            .then(NeedsHuman, Tier.HUMAN)
            .reporting(Reports.NEEDS_HUMAN),
        given(Restarting, 3, 600, BROKEN)
            .withAiFix()
            .then(AiFixRunning, Tier.AI_FIX)
            .doing(Action.CreateAiFixJob.class),
        given(AiFixRunning, 3, 60, BROKEN).withAiFix().then(AiFixRunning),
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(AiFixJobState.ABSENT)
            .then(AiFixRunning)
            .doing(Action.CreateAiFixJob.class),
        // a code fix rolls out only as the image the spec's template names
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .imageTemplate()
            .job(ended("fixed", null))
            .then(VerifyingFix)
            .overriding("image", "reg/pipeline:abc123")
            .reporting(Reports.AI_FIX_APPLIED),
        // without one it waits on a human (branch, commit): restarting the old image fixes nothing
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(ended("fixed", "reg/pipeline:fix"))
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("branch homenvr/fix-1", "commit abc123", "waits for you"),
        // a configuration change within bounds runs as an override, the spec untouched
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(
                config(
                    "no-fix",
                    "{\"type\":\"config\",\"field\":\"camera.detect.fps\",\"camera\":\"gate\",\"value\":3}"))
            .then(VerifyingFix)
            .overriding("config", "set spec.cameras[name=gate].detect.fps to 3 (was 5)")
            .reporting(Reports.AI_FIX_APPLIED),
        // outside its bounds: nothing applied, the human is told why
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(
                config(
                    "no-fix",
                    "{\"type\":\"config\",\"field\":\"camera.detect.fps\",\"camera\":\"gate\",\"value\":30}"))
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("may only go down", "Diagnosis (confidence high): detect too fast"),
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(
                config(
                    "no-fix", "{\"type\":\"config\",\"field\":\"spec.image\",\"value\":\"evil\"}"))
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("proposal.field", "not one the agent may change"),
        // an error (time or budget out) applies nothing, whatever it proposed
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(
                config(
                    "error",
                    "{\"type\":\"config\",\"field\":\"camera.detect.fps\",\"camera\":\"gate\",\"value\":3}"))
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("the Job ended with an error", "logs job/home-aifix-1"),
        given(AiFixRunning, 3, 60, BROKEN)
            .withAiFix()
            .job(ended("no-fix", null))
            .then(NeedsHuman, Tier.HUMAN)
            .reporting(Reports.NEEDS_HUMAN),
        given(VerifyingFix, 3, 30, BROKEN).withAiFix().then(VerifyingFix),
        given(VerifyingFix, 3, 100, HEALTHY).withAiFix().then(VerifyingFix),
        given(VerifyingFix, 3, 100, BROKEN)
            .withAiFix()
            .then(NeedsHuman, Tier.HUMAN)
            .reporting(Reports.NEEDS_HUMAN),
        given(VerifyingFix, 3, 301, HEALTHY).withAiFix().then(Idle).reporting(Reports.AI_FIX_HELD),
        // a configuration override under trial (configFixes.verifySeconds 120)
        given(VerifyingFix, 3, 100, HEALTHY).withAiFix().configOverride().then(VerifyingFix),
        given(VerifyingFix, 3, 121, HEALTHY)
            .withAiFix()
            .configOverride()
            .then(Idle)
            .overriding("config", "set spec.cameras[name=gate].detect.fps to 3 (was 5)")
            .reporting(Reports.AI_FIX_HELD)
            .saying("To make it permanent", "set spec.cameras[name=gate].detect.fps to 3 (was 5)"),
        given(VerifyingFix, 3, 100, BROKEN)
            .withAiFix()
            .configOverride()
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("reverted the configuration change"),
        // the fixed image does not even start: reverted, the branch waits on a human
        given(VerifyingFix, 3, 100, IMAGE_PULL_FAILED)
            .withAiFix()
            .imageOverride()
            .then(NeedsHuman, Tier.HUMAN)
            .overriding("none", null)
            .reporting(Reports.NEEDS_HUMAN)
            .saying("ImagePullFailed", "reverted the image reg/pipeline:abc123", "homenvr/fix-1"),
        given(NeedsHuman, 3, 600, BROKEN).then(NeedsHuman),
        given(NeedsHuman, 3, 600, HEALTHY).then(Idle).reporting(Reports.RECOVERED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theLadderStepsAsTheTableSays(Row row) {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    CameraMonitor monitor = Monitors.withTelegram(Monitors.monitor("gate"), "http://127.0.0.1:1");
    monitor.getSpec().getRecovery().setMaxRestarts(3);
    monitor.getSpec().getRecovery().setRecoveryGraceSeconds(60);
    monitor.getSpec().getRecovery().setBackoffSeconds(10);
    if (row.aiFix) {
      Monitors.withAiFix(monitor);
      monitor.getSpec().getEscalation().getAiFix().setVerifySeconds(300);
      monitor.getSpec().getEscalation().getAiFix().getConfigFixes().setVerifySeconds(120);
      if (row.imageTemplate) {
        monitor.getSpec().getEscalation().getAiFix().setImageTemplate("reg/pipeline:{commit}");
      }
    }
    String specBefore = JSON.asJson(monitor.getSpec());
    Instant now = clock.instant();
    CameraMonitorStatus status = row.status(now);

    Assessment seen = row.seen.assessment(now);
    Transition transition =
        new EscalationLadder(clock).decide(new LadderInput(monitor, status, seen, row.job));
    ReportQueue.queue(transition, monitor, seen, now);

    assertThat(transition.from()).isEqualTo(row.stage);
    assertThat(transition.to()).as("next stage").isEqualTo(row.next);
    assertThat(transition.status().getRecovery().getStage()).isEqualTo(row.next.name());
    assertThat(transition.actions().stream().map(Object::getClass).toList())
        .as("actions")
        .isEqualTo(row.actions);
    assertThat(transition.escalatedTo()).as("tier reached").isEqualTo(row.tier);
    assertThat(transition.status().getOutbox().stream().map(r -> r.getKind()).toList())
        .as("reports")
        .isEqualTo(row.reports);
    if (row.override != null) {
      Overrides overrides = transition.status().getOverrides();
      switch (row.override) {
        case "none" -> assertThat(overrides).as("overrides").isNull();
        case "image" -> assertThat(overrides.getPipelineImage()).isEqualTo(row.overrideValue);
        case "config" -> assertThat(overrides.getConfig().getChange()).isEqualTo(row.overrideValue);
        default -> throw new IllegalArgumentException(row.override);
      }
    }
    if (!row.saying.isEmpty()) {
      assertThat(transition.status().getOutbox()).hasSize(1);
      assertThat(transition.status().getOutbox().get(0).getText()).contains(row.saying);
    }
    assertThat(JSON.asJson(monitor.getSpec())).as("the user's spec").isEqualTo(specBefore);
  }

  /** What the check sees. */
  enum Seen {
    HEALTHY(List.of()),
    BROKEN(List.of(new Problem("FramesStale", CauseClass.PIPELINE, null, "no frame advances"))),
    DEPENDENCY_DOWN(
        List.of(new Problem("CameraDown", CauseClass.EXTERNAL, "gate", "camera gate refuses"))),
    /** The pipeline's own symptom, explained by something no restart fixes. */
    BROKEN_DISK_FULL(
        List.of(
            new Problem("FramesStale", CauseClass.PIPELINE, null, "no frame advances"),
            new Problem("DiskFull", CauseClass.EXTERNAL, null, "the data volume is full"))),
    /** A new image that does not pull. */
    IMAGE_PULL_FAILED(
        List.of(
            new Problem(
                "ImagePullFailed", CauseClass.EXTERNAL, null, "reg/pipeline:abc123 not found")));

    private final List<Problem> problems;

    Seen(List<Problem> problems) {
      this.problems = problems;
    }

    Assessment assessment(Instant now) {
      return new Assessment(now, true, problems, List.of(), now, problems.isEmpty(), false, null);
    }
  }

  private static AiFixJobState ended(String outcome, String image) {
    return new AiFixJobState.Ended(
        new AiFixResult(outcome, "a summary", "abc123", "homenvr/fix-1", image));
  }

  /** A Job that ended with this outcome, a diagnosis and a proposal (JSON). */
  private static AiFixJobState config(String outcome, String proposal) {
    try {
      return new AiFixJobState.Ended(
          new AiFixResult(
              outcome,
              "a summary",
              null,
              null,
              null,
              null,
              null,
              new AiFixResult.Diagnosis(
                  "detect too fast", List.of("frame 12 late by 900 ms"), "high"),
              new ObjectMapper().readTree(proposal),
              null));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Row given(Stage stage, int restarts, int secondsInStage, Seen seen) {
    return new Row(stage, restarts, secondsInStage, seen);
  }

  /** One line of the table, built fluently so that it reads as one. */
  static final class Row {
    final Stage stage;
    final int restarts;
    final int secondsInStage;
    final Seen seen;
    boolean aiFix;
    boolean imageTemplate;
    String active;
    String override;
    String overrideValue;
    List<String> saying = List.of();
    AiFixJobState job;
    Stage next;
    Tier tier;
    List<Class<?>> actions = List.of();
    List<String> reports = List.of();

    Row(Stage stage, int restarts, int secondsInStage, Seen seen) {
      this.stage = stage;
      this.restarts = restarts;
      this.secondsInStage = secondsInStage;
      this.seen = seen;
      this.job = stage == AiFixRunning ? new AiFixJobState.Running() : null;
    }

    Row withAiFix() {
      aiFix = true;
      return this;
    }

    Row imageTemplate() {
      imageTemplate = true;
      return this;
    }

    /** In VerifyingFix: the fix on trial is this incident's configuration override. */
    Row configOverride() {
      active = "config";
      return this;
    }

    /** In VerifyingFix: the fix on trial is this incident's image override. */
    Row imageOverride() {
      active = "image";
      return this;
    }

    /** After the step: no overrides ("none"), or this image or configuration change. */
    Row overriding(String kind, String value) {
      override = kind;
      overrideValue = value;
      return this;
    }

    /** The one report queued says all of these. */
    Row saying(String... texts) {
      saying = Arrays.asList(texts);
      return this;
    }

    Row job(AiFixJobState state) {
      job = state;
      return this;
    }

    Row then(Stage stage) {
      return then(stage, null);
    }

    Row then(Stage stage, Tier reached) {
      next = stage;
      tier = reached;
      return this;
    }

    Row doing(Class<?>... kinds) {
      actions = Arrays.asList(kinds);
      return this;
    }

    Row reporting(String... kinds) {
      reports = Arrays.asList(kinds);
      return this;
    }

    /** The stored status of a CameraMonitor in {@link #stage}. */
    CameraMonitorStatus status(Instant now) {
      CameraMonitorStatus status = new CameraMonitorStatus();
      status.getRecovery().setStage(stage.name());
      status.setLastCheckTime(Times.format(now.minusSeconds(5)));
      if (stage == Idle) {
        return status;
      }
      Instant since = now.minusSeconds(secondsInStage);
      status.getRecovery().setStageSince(Times.format(since));
      status.getRecovery().setRestarts(restarts);
      if (restarts > 0) {
        status.getRecovery().setLastRestartTime(Times.format(since));
      }
      Incident incident = new Incident();
      incident.setId("20260301-115000-g1");
      incident.setOpenedAt(Times.format(now.minusSeconds(600)));
      incident.setCause(stage == External ? CauseClass.EXTERNAL : CauseClass.PIPELINE);
      incident.setProblems(stage == External ? DEPENDENCY_DOWN.problems : BROKEN.problems);
      incident.setFingerprint(Incidents.fingerprint(incident.getProblems()));
      incident.setRestarts(restarts);
      incident.setTierReached(
          switch (stage) {
            case AiFixRunning, VerifyingFix -> 2;
            case NeedsHuman -> 3;
            case External -> 0;
            default -> 1;
          });
      if (stage == AiFixRunning || stage == VerifyingFix) {
        AiFixRun run = new AiFixRun();
        run.setJob("home-aifix-1");
        run.setStartedAt(Times.format(since));
        run.setOutcome(stage == AiFixRunning ? "running" : "fixed");
        run.setBranch("homenvr/fix-1");
        incident.setAiFix(run);
      }
      if ("config".equals(active)) {
        ConfigOverride config = new ConfigOverride();
        config.setSpecPath("spec.cameras[name=gate].detect.fps");
        config.setFrom("5");
        config.setTo("3");
        config.setChange("set spec.cameras[name=gate].detect.fps to 3 (was 5)");
        config.setProposal(
            "{\"type\":\"config\",\"field\":\"camera.detect.fps\",\"camera\":\"gate\",\"value\":3}");
        config.setIncident(incident.getId());
        config.setAppliedAt(Times.format(since));
        status.setOverrides(new Overrides());
        status.getOverrides().setConfig(config);
        ProposalVerdict verdict = new ProposalVerdict();
        verdict.setType("config");
        verdict.setVerdict("Accepted");
        verdict.setChange(config.getChange());
        incident.getAiFix().setProposal(verdict);
      } else if ("image".equals(active)) {
        status.setOverrides(new Overrides());
        status.getOverrides().setPipelineImage("reg/pipeline:abc123");
        status.getOverrides().setIncident(incident.getId());
        incident.getAiFix().setImage("reg/pipeline:abc123");
      }
      status.getIncidents().add(incident);
      status.getRecovery().setIncident(incident.getId());
      return status;
    }

    @Override
    public String toString() {
      return "%s (%d restarts, %d s) sees %s%s%s → %s"
          .formatted(
              stage,
              restarts,
              secondsInStage,
              seen,
              aiFix ? ", AI fix on" : "",
              job == null ? "" : ", job " + job.getClass().getSimpleName(),
              next);
    }
  }
}
