package io.homenvr.operator.escalation;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.status.AiFixHistory;
import io.homenvr.api.v1alpha1.status.AiFixRun;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.ConfigOverride;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.ProposalVerdict;
import io.homenvr.api.v1alpha1.status.RecordingStatus;
import io.homenvr.api.v1alpha1.status.RecoveryStatus;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.aifix.AiFixResult;
import io.homenvr.operator.aifix.ConfigChangeValidator;
import io.homenvr.operator.aifix.ConfigChangeValidator.Verdict;
import io.homenvr.operator.aifix.ConfigOverrides;
import io.homenvr.operator.dependent.PipelineImage;
import io.homenvr.operator.escalation.Notice.HumanNeeded;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.notify.Channel;
import io.homenvr.operator.notify.Reports;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The escalation ladder as a pure state machine: (stage, status, assessment, spec, now) → {@link
 * Transition} (next stage, status, actions, notices, tier). Nothing here talks to the cluster,
 * words a message or builds a Condition.
 *
 * <pre>
 * stage            | what the check sees                         | → stage          | actions
 * -----------------+---------------------------------------------+------------------+-----------------
 * Idle             | healthy                                     | Idle             |
 * Idle             | a problem a restart may fix                 | AwaitingRecovery | evidence, restart (tier 1)
 * Idle             | only dependencies down (camera, LLM, disk)  | External         | report
 * Idle             | broken, but by what no restart fixes        | External         | report
 * External         | still only dependencies                     | External         |
 * External         | now a problem a restart may fix             | AwaitingRecovery | evidence, restart
 * External         | healthy                                     | Idle             | report
 * AwaitingRecovery | within recoveryGraceSeconds, not yet working| AwaitingRecovery |
 * AwaitingRecovery | the pod the restart replaces still runs     | AwaitingRecovery | delete it
 * AwaitingRecovery | working twice in a row, or healthy          | Idle             | report
 * AwaitingRecovery | broken, but by what no restart fixes        | External         | report
 * AwaitingRecovery | still broken                                | Restarting       | (restart when due)
 * Restarting       | healthy                                     | Idle             | report
 * Restarting       | backoff passed, restarts left               | AwaitingRecovery | restart
 * Restarting       | restarts used up, AI fix allowed            | AiFixRunning     | Job (tier 2)
 * Restarting       | restarts used up, no AI fix                 | NeedsHuman       | report (tier 3)
 * AiFixRunning     | Job ended, config change within bounds      | VerifyingFix     | override, report
 * AiFixRunning     | Job ended, config change refused            | NeedsHuman       | report (why)
 * AiFixRunning     | Job ended "fixed", spec has imageTemplate   | VerifyingFix     | image override, report
 * AiFixRunning     | Job ended "fixed", no imageTemplate         | NeedsHuman       | report (branch waits)
 * AiFixRunning     | Job ended otherwise, or overdue             | NeedsHuman       | report
 * VerifyingFix     | healthy for (configFixes.)verifySeconds     | Idle             | report (how to keep it)
 * VerifyingFix     | broken (or not started) after the grace     | NeedsHuman       | revert override, report
 * NeedsHuman       | healthy                                     | Idle             | report
 * any              | homenvr.io/ack                              | Idle             |
 * any              | homenvr.io/restart                          | (same)           | restart
 * </pre>
 *
 * The caller writes the returned status before it acts, so a crash never repeats an action.
 */
public class EscalationLadder {
  /** The "all nominal" digest comes at most this often. */
  static final Duration DIGEST_INTERVAL = Duration.ofHours(24);

  /** An AI-fix Job gets this long past its own deadline before its silence counts as an error. */
  static final Duration JOB_GRACE = Duration.ofMinutes(2);

  /**
   * A pod counts as the one a restart should have replaced only if created this much before the
   * restart, so that an API server clock behind the operator's never gets the fresh pod deleted.
   */
  static final Duration CLOCK_SKEW_TOLERANCE = Duration.ofSeconds(5);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * A commit as git names it (SHA-1 or SHA-256, possibly abbreviated): nothing else goes into an
   * image name.
   */
  private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{4,64}$");

  /**
   * Problems no restart fixes but a fix under verification can cause: its pod cannot start. During
   * verification they mean it did not hold.
   */
  private static final Set<String> START_FAILURES = Set.of("ImagePullFailed", "Unschedulable");

  private final Clock clock;

  public EscalationLadder(Clock clock) {
    this.clock = clock;
  }

  public Transition decide(LadderInput input) {
    return new Step(input, clock.instant()).run();
  }

  /** One step's working state; discarded afterwards. */
  private static final class Step {
    private final LadderInput in;
    private final Instant now;
    private final CameraMonitor monitor;
    private final CameraMonitorSpec spec;
    private final CameraMonitorStatus status;
    private final RecoveryStatus recovery;
    private final Assessment assessment;
    private final Stage from;
    private final List<Action> actions = new ArrayList<>();
    private final List<Notice> notices = new ArrayList<>();
    private Tier reached;
    private Duration detectedAfter;
    private Duration recoveredAfter;

    Step(LadderInput in, Instant now) {
      this.in = in;
      this.now = now;
      this.monitor = in.monitor();
      this.spec = monitor.getSpec();
      CameraMonitorStatus copy =
          in.status() == null ? new CameraMonitorStatus() : SERIALIZATION.clone(in.status());
      if (copy.getRecovery() == null) {
        copy.setRecovery(new RecoveryStatus());
      }
      if (copy.getAiFix() == null) {
        copy.setAiFix(new AiFixHistory());
      }
      this.status = copy;
      this.recovery = copy.getRecovery();
      this.assessment = in.assessment();
      this.from = stage();
    }

    Transition run() {
      handleOverride();
      boolean forcedRestart = handleAnnotations();
      if (assessment.judged()) {
        List<CameraStatus> before = status.getCameras();
        status.setCameras(
            new ArrayList<>(assessment.cameras().stream().map(SERIALIZATION::clone).toList()));
        markRecordingGaps(before);
        status.setCameraCount(spec.getCameras().size());
        status.setHealthyCameras((int) assessment.healthyCameras());
        status.setLastCheckTime(Times.format(now));
        if (!forcedRestart) {
          climb();
          if (phase() == Phase.Healthy) {
            digestIfDue();
          }
        }
      }
      return new Transition(
          from, stage(), status, actions, notices, phase(), reached, detectedAfter, recoveredAfter);
    }

    private void climb() {
      switch (stage()) {
        case Idle -> idle();
        case External -> external();
        case AwaitingRecovery -> awaitingRecovery();
        case Restarting -> restarting();
        case AiFixRunning -> aiFixRunning();
        case VerifyingFix -> verifyingFix();
        case NeedsHuman -> needsHuman();
      }
    }

    // ---- the stages -------------------------------------------------------------------------

    private void idle() {
      if (assessment.problems().isEmpty()) {
        return;
      }
      Incident incident =
          open(assessment.restartMayHelp() ? CauseClass.PIPELINE : CauseClass.EXTERNAL);
      if (incident.getCause() == CauseClass.PIPELINE) {
        actions.add(new Action.CaptureEvidence(incident.getId()));
        restart(incident);
      } else {
        enter(Stage.External);
        report(incident, Reports.DEPENDENCY_DOWN);
      }
    }

    private void external() {
      Incident incident = openIncident();
      if (assessment.restartMayHelp()) {
        incident.setCause(CauseClass.PIPELINE);
        incident.setProblems(new ArrayList<>(assessment.problems()));
        incident.setFingerprint(Incidents.fingerprint(assessment.problems()));
        problemsFound(incident);
        actions.add(new Action.CaptureEvidence(incident.getId()));
        restart(incident);
      } else if (assessment.problems().isEmpty()) {
        incident.setOutcome("RecoveredByItself");
        close(incident);
        report(incident, Reports.DEPENDENCY_BACK);
        notices.add(new Notice.DependencyBack(incident.getId()));
        enter(Stage.Idle);
      }
    }

    private void awaitingRecovery() {
      if (resumeLostRestart()) {
        return; // what was observed is the pod the restart replaces: nothing to judge yet
      }
      Instant judgeAt = lastRestart().plusSeconds(spec.getRecovery().getRecoveryGraceSeconds());
      boolean working = workingTwiceSinceRestart();
      if (!working && now.isBefore(judgeAt)) {
        return;
      }
      if (!working && assessment.pipelineHealthy() && assessment.warmingUp()) {
        return; // no verdict on a pod whose problems are not counted yet
      }
      Incident incident = openIncident();
      if (working || assessment.pipelineHealthy()) {
        incident.setOutcome("FixedByRestart");
        close(incident);
        report(incident, Reports.FIXED_BY_RESTART);
        notices.add(new Notice.FixedByRestart(incident.getId(), incident.getRestarts()));
        recovery.setRestarts(0);
        enter(Stage.Idle);
      } else if (!assessment.restartMayHelp()) {
        incident.setCause(CauseClass.EXTERNAL);
        incident.setProblems(new ArrayList<>(assessment.problems()));
        enter(Stage.External);
        report(incident, Reports.DEPENDENCY_DOWN);
      } else {
        enter(Stage.Restarting);
        restarting();
      }
    }

    private void restarting() {
      Incident incident = openIncident();
      if (assessment.pipelineHealthy()) {
        awaitingRecovery();
        return;
      }
      int done = Objects.requireNonNullElse(recovery.getRestarts(), 0);
      if (done >= spec.getRecovery().getMaxRestarts()) {
        escalate(incident);
        return;
      }
      Instant due =
          lastRestart()
              .plusSeconds(spec.getRecovery().getRecoveryGraceSeconds())
              .plus(Backoff.beforeRestart(done + 1, spec.getRecovery().getBackoffSeconds()));
      if (!now.isBefore(due)) {
        restart(incident);
      }
    }

    private void aiFixRunning() {
      Incident incident = openIncident();
      AiFixRun run = incident.getAiFix();
      AiFixJobState job = in.job() == null ? AiFixJobState.ABSENT : in.job();
      Instant started = Objects.requireNonNullElse(Times.parse(run.getStartedAt()), now);
      boolean overdue =
          now.isAfter(
              started
                  .plusSeconds(spec.getEscalation().getAiFix().getTimeoutSeconds())
                  .plus(JOB_GRACE));
      if (job instanceof AiFixJobState.Ended ended) {
        finishAiFix(incident, ended.result());
      } else if (overdue) {
        finishAiFix(incident, AiFixResult.error("the Job gave no result within its deadline"));
      } else if (job instanceof AiFixJobState.Absent) {
        // status says it started but the Job is not there: the create never happened (crash)
        actions.add(new Action.CreateAiFixJob(incident.getId(), run.getJob()));
      }
    }

    /**
     * The fix (a code fix's image, or a configuration change, both overrides of this incident) must
     * keep the pipeline healthy for its verifySeconds; judged only after recoveryGraceSeconds (a
     * wrong "did not hold" pages a human and marks the fingerprint). A pod that cannot start with
     * it (its image does not pull, its memory does not fit a node) did not hold either. What did
     * not hold is reverted: the pipeline runs the spec again.
     */
    private void verifyingFix() {
      Incident incident = openIncident();
      Instant since = stageSince();
      if (now.isBefore(since.plusSeconds(spec.getRecovery().getRecoveryGraceSeconds()))) {
        return;
      }
      ConfigOverride config = configOverrideOf(incident);
      boolean image = imageOverrideOf(incident);
      int verifySeconds =
          config != null
              ? spec.getEscalation().getAiFix().getConfigFixes().getVerifySeconds()
              : spec.getEscalation().getAiFix().getVerifySeconds();
      List<Problem> failing = new ArrayList<>(assessment.pipelineProblems());
      assessment.problems().stream()
          .filter(p -> START_FAILURES.contains(p.getKind()))
          .forEach(failing::add);
      if (!failing.isEmpty()) {
        incident.getAiFix().setOutcome("did-not-hold");
        String reverted = revertFix(incident, config, image);
        needsHuman(incident, new HumanNeeded.FixDidNotHold(kinds(failing), reverted));
      } else if (!now.isBefore(since.plusSeconds(verifySeconds)) && !assessment.warmingUp()) {
        incident.getAiFix().setOutcome("held");
        incident.setOutcome("FixedByAi");
        String permanent = null;
        if (config != null) {
          config.setVerified(true);
          verdict(incident).setVerdict("Kept");
          permanent = config.getChange();
        } else if (image) {
          permanent = "set spec.pipeline.image to " + status.getOverrides().getPipelineImage();
        }
        close(incident);
        notices.add(new Notice.AiFixHeld(incident.getId(), verifySeconds, permanent));
        report(incident, Reports.AI_FIX_HELD);
        recovery.setRestarts(0);
        enter(Stage.Idle);
      }
    }

    private void needsHuman() {
      Incident incident = openIncident();
      if (assessment.pipelineHealthy()) {
        close(incident);
        report(incident, Reports.RECOVERED);
        notices.add(new Notice.Recovered(incident.getId()));
        recovery.setRestarts(0);
        enter(Stage.Idle);
      }
    }

    // ---- the tiers ----------------------------------------------------------------------------

    /** Tier 1, or the next tier when the restarts are used up. */
    private void restart(Incident incident) {
      int n = Objects.requireNonNullElse(recovery.getRestarts(), 0) + 1;
      int max = spec.getRecovery().getMaxRestarts();
      if (n > max) {
        escalate(incident);
        return;
      }
      recovery.setRestarts(n);
      recovery.setLastRestartTime(Times.format(now));
      recovery.setHealthySince(null);
      incident.setRestarts(n);
      reach(incident, Tier.RESTART);
      enter(Stage.AwaitingRecovery);
      actions.add(new Action.RestartPipeline(incident.getId(), n));
      notices.add(
          new Notice.Restarting(incident.getId(), n, max, kinds(assessment.pipelineProblems())));
    }

    /** Tier 2 when allowed, else tier 3. */
    private void escalate(Incident incident) {
      AiFixSpec aiFix = spec.getEscalation().getAiFix();
      String fingerprint = incident.getFingerprint();
      if (aiFix == null || !Boolean.TRUE.equals(aiFix.getEnabled())) {
        needsHuman(incident, new HumanNeeded.AiFixOff(incident.getRestarts()));
      } else if (status.getAiFix().getFixedFingerprints().contains(fingerprint)) {
        needsHuman(incident, new HumanNeeded.FixedOnceBefore(fingerprint));
      } else if (!cooldownPassed(aiFix)) {
        needsHuman(
            incident,
            new HumanNeeded.AiFixCoolingDown(incident.getRestarts(), aiFix.getCooldownHours()));
      } else {
        String job = CameraMonitorResources.aiFixJobName(monitor, incident.getId());
        AiFixRun run = new AiFixRun();
        run.setJob(job);
        run.setStartedAt(Times.format(now));
        run.setOutcome("running");
        incident.setAiFix(run);
        reach(incident, Tier.AI_FIX);
        status.getAiFix().setLastRunTime(Times.format(now));
        enter(Stage.AiFixRunning);
        actions.add(new Action.CreateAiFixJob(incident.getId(), job));
        notices.add(new Notice.AiFixStarted(incident.getId(), incident.getRestarts(), job));
      }
    }

    /**
     * The Job ended: its diagnosis and stats go into status whatever the outcome; then a
     * configuration change within bounds is applied as an override, a code fix rolls out as the
     * image the spec's template names, and anything else (refused, no fix, error, a code fix no
     * template names an image for) goes to a human with what waits on them.
     */
    private void finishAiFix(Incident incident, AiFixResult result) {
      AiFixRun run = incident.getAiFix();
      run.setFinishedAt(Times.format(now));
      run.setOutcome(result.outcome() == null ? AiFixResult.ERROR : result.outcome());
      run.setSummary(result.summary());
      run.setCommit(result.commit());
      run.setBranch(result.branch());
      AiFixRecord.agent(run, result);
      if (run.getDiagnosis() != null && run.getDiagnosis().getCause() != null) {
        notices.add(
            new Notice.Diagnosed(
                incident.getId(),
                run.getJob(),
                run.getDiagnosis().getCause(),
                run.getDiagnosis().getConfidence()));
      }
      if (AiFixResult.ERROR.equals(run.getOutcome())) {
        if (result.proposal() != null && !result.proposal().isNull()) {
          run.setProposal(AiFixRecord.verdict("NotApplied", null, "the Job ended with an error"));
        }
        needsHuman(incident, new HumanNeeded.AiFixEnded(run.getOutcome()));
        return;
      }
      Verdict verdict = judgeProposal(incident, result);
      if (verdict instanceof Verdict.Accepted accepted) {
        applyConfig(incident, result, accepted);
        return;
      }
      if (verdict instanceof Verdict.Refused refused) {
        run.setProposal(AiFixRecord.verdict("Refused", refused.field(), refused.reason()));
        run.getProposal().setType(AiFixRecord.proposalType(result.proposal()));
        notices.add(
            new Notice.ProposalRefused(incident.getId(), refused.field(), refused.reason()));
        if (!result.fixed()) {
          needsHuman(
              incident,
              new HumanNeeded.ProposalRefused(run.getOutcome(), refused.field(), refused.reason()));
          return;
        }
      } else if (verdict instanceof Verdict.NotConfig none) {
        run.setProposal(AiFixRecord.verdict(null, null, null));
        run.getProposal().setType(none.type());
      }
      if (!result.fixed()) {
        needsHuman(incident, new HumanNeeded.AiFixEnded(run.getOutcome()));
        return;
      }
      String image = imageOf(result.commit());
      if (image == null) {
        // not rolled out: restarting the old image would fix nothing
        run.setOutcome("waiting");
        run.getProposal().setVerdict("WaitingForHuman");
        needsHuman(
            incident,
            new HumanNeeded.CodeFixWaiting(run.getBranch(), run.getCommit(), run.getDiff()));
        return;
      }
      run.setImage(image);
      markFixed(incident);
      enter(Stage.VerifyingFix);
      overridePipelineImage(incident, image, result.commit());
      int verifySeconds = spec.getEscalation().getAiFix().getVerifySeconds();
      notices.add(new Notice.AiFixApplied(incident.getId(), result.commit(), verifySeconds));
      report(incident, Reports.AI_FIX_APPLIED);
    }

    /**
     * The agent's proposal against the user's spec (never the overridden one), the cooldown and the
     * one-change-per-incident rule; another configuration override still active refuses it too (one
     * at a time, so each can be verified, kept or reverted on its own).
     */
    private Verdict judgeProposal(Incident incident, AiFixResult result) {
      ConfigOverride active =
          status.getOverrides() == null ? null : status.getOverrides().getConfig();
      Verdict verdict =
          ConfigChangeValidator.validate(
              result.proposal(),
              spec,
              new ConfigChangeValidator.History(
                  Times.parse(status.getAiFix().getLastConfigFixTime()),
                  active != null && incident.getId().equals(active.getIncident())),
              now);
      if (verdict instanceof Verdict.Accepted && active != null) {
        return new Verdict.Refused(
            "status.overrides.config",
            "the override of incident %s (%s) is still active: make it permanent in the spec or revert it first"
                .formatted(active.getIncident(), active.getChange()));
      }
      return verdict;
    }

    /** The accepted change runs as an override in status; the user's spec is never written. */
    private void applyConfig(Incident incident, AiFixResult result, Verdict.Accepted accepted) {
      AiFixRun run = incident.getAiFix();
      int verifySeconds = spec.getEscalation().getAiFix().getConfigFixes().getVerifySeconds();
      ConfigOverride override =
          ConfigOverrides.of(
              accepted,
              result.proposal(),
              incident.getId(),
              now,
              now.plusSeconds(spec.getRecovery().getRecoveryGraceSeconds() + (long) verifySeconds));
      if (status.getOverrides() == null) {
        status.setOverrides(new Overrides());
      }
      status.getOverrides().setConfig(override);
      status.getAiFix().setLastConfigFixTime(Times.format(now));
      run.setProposal(AiFixRecord.verdict("Accepted", null, accepted.change().reason()));
      run.getProposal().setType("config");
      run.getProposal().setChange(accepted.permanentChange());
      markFixed(incident);
      enter(Stage.VerifyingFix);
      notices.add(
          new Notice.ConfigFixApplied(incident.getId(), accepted.permanentChange(), verifySeconds));
      report(incident, Reports.AI_FIX_APPLIED);
    }

    /** An AI fix claimed this fingerprint: next time it goes straight to a human. */
    private void markFixed(Incident incident) {
      List<String> fixed = status.getAiFix().getFixedFingerprints();
      if (!fixed.contains(incident.getFingerprint())) {
        fixed.add(incident.getFingerprint());
      }
    }

    /**
     * The image with a commit, as the spec's template names it; null without a template (or without
     * a commit that looks like one). The Job's own "image" is not trusted for this.
     */
    private String imageOf(String commit) {
      String template = spec.getEscalation().getAiFix().getImageTemplate();
      if (template == null
          || template.isBlank()
          || commit == null
          || !COMMIT.matcher(commit).matches()) {
        return null;
      }
      return template.replace("{commit}", commit);
    }

    /**
     * Takes back this incident's overrides after its fix did not hold.
     *
     * @return what was reverted, for the human, or null
     */
    private String revertFix(Incident incident, ConfigOverride config, boolean image) {
      List<String> reverted = new ArrayList<>();
      if (config != null) {
        notices.add(new Notice.ConfigOverrideReverted(config, Notice.Revert.DID_NOT_HOLD, null));
        status.getOverrides().setConfig(null);
        verdict(incident).setVerdict("Reverted");
        reverted.add("the configuration change (" + config.getChange() + ")");
      }
      if (image) {
        Overrides before = SERIALIZATION.clone(status.getOverrides());
        notices.add(
            new Notice.OverrideReverted(
                before, spec.getPipeline().getImage(), Notice.Revert.DID_NOT_HOLD));
        clearImage(status.getOverrides());
        reverted.add(
            "the image %s (branch %s waits for you)"
                .formatted(
                    before.getPipelineImage(),
                    Objects.requireNonNullElse(incident.getAiFix().getBranch(), "unknown")));
      }
      if (status.getOverrides() != null && status.getOverrides().isEmpty()) {
        status.setOverrides(null);
      }
      return reverted.isEmpty() ? null : String.join(" and ", reverted);
    }

    private ConfigOverride configOverrideOf(Incident incident) {
      Overrides overrides = status.getOverrides();
      return overrides != null
              && overrides.getConfig() != null
              && incident.getId().equals(overrides.getConfig().getIncident())
          ? overrides.getConfig()
          : null;
    }

    private boolean imageOverrideOf(Incident incident) {
      Overrides overrides = status.getOverrides();
      return overrides != null
          && overrides.getPipelineImage() != null
          && incident.getId().equals(overrides.getIncident());
    }

    private ProposalVerdict verdict(Incident incident) {
      AiFixRun run = incident.getAiFix();
      if (run.getProposal() == null) {
        run.setProposal(new ProposalVerdict());
      }
      return run.getProposal();
    }

    /** Tier 3. */
    private void needsHuman(Incident incident, HumanNeeded why) {
      reach(incident, Tier.HUMAN);
      incident.setOutcome("NeedsHuman");
      enter(Stage.NeedsHuman);
      notices.add(new Notice.NeedsHuman(incident.getId(), why));
      if (Channel.anyConfigured(spec.getEscalation())) {
        notices.add(new Notice.Report(Reports.NEEDS_HUMAN, incident.getId(), why));
      }
    }

    /**
     * The fix's image goes into status.overrides, which the Deployment is rendered from; the user's
     * spec (perhaps managed from Git) is never written.
     */
    private void overridePipelineImage(Incident incident, String image, String commit) {
      Overrides overrides = status.getOverrides() == null ? new Overrides() : status.getOverrides();
      overrides.setPipelineImage(image);
      overrides.setSpecImage(spec.getPipeline().getImage());
      overrides.setIncident(incident.getId());
      overrides.setReason(
          "AI fix of incident %s, job %s, commit %s"
              .formatted(
                  incident.getId(),
                  incident.getAiFix().getJob(),
                  Objects.requireNonNullElse(commit, "unknown")));
      overrides.setAppliedAt(Times.format(now));
      status.setOverrides(overrides);
      notices.add(new Notice.OverrideApplied(incident.getId(), image));
    }

    // ---- what the user asks for by annotation -------------------------------------------------

    /**
     * The image override in status goes when the user changed spec.pipeline.image since it was
     * recorded (their image wins); the configuration override goes when the spec changed so that it
     * no longer applies (made permanent, say); both go when asked by homenvr.io/revert-override,
     * which is removed after the cleared status is written.
     */
    private void handleOverride() {
      Overrides overrides = status.getOverrides();
      boolean revert =
          in.annotations().containsKey(CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION);
      if (overrides != null) {
        boolean image =
            overrides.getPipelineImage() != null && !overrides.getPipelineImage().isBlank();
        if (image && (revert || !PipelineImage.overrideApplies(overrides, spec.getPipeline()))) {
          notices.add(
              new Notice.OverrideReverted(
                  SERIALIZATION.clone(overrides),
                  spec.getPipeline().getImage(),
                  revert ? Notice.Revert.REQUESTED : Notice.Revert.SPEC_CHANGED));
          clearImage(overrides);
        }
        ConfigOverride config = overrides.getConfig();
        if (config != null) {
          Verdict now = ConfigOverrides.judge(config, spec);
          if (revert) {
            notices.add(new Notice.ConfigOverrideReverted(config, Notice.Revert.REQUESTED, null));
          } else if (now instanceof Verdict.Refused refused) {
            notices.add(
                new Notice.ConfigOverrideReverted(
                    config, Notice.Revert.SPEC_CHANGED, refused.field() + " " + refused.reason()));
          }
          if (revert || now instanceof Verdict.Refused) {
            overrides.setConfig(null);
            Incidents.find(status, config.getIncident())
                .filter(i -> i.getAiFix() != null && i.getAiFix().getProposal() != null)
                .ifPresent(i -> i.getAiFix().getProposal().setVerdict("Reverted"));
          }
        }
        if (overrides.isEmpty()) {
          status.setOverrides(null);
        }
      }
      if (revert) {
        actions.add(new Action.RemoveAnnotation(CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION));
      }
    }

    private static void clearImage(Overrides overrides) {
      overrides.setPipelineImage(null);
      overrides.setSpecImage(null);
      overrides.setReason(null);
      overrides.setIncident(null);
      overrides.setAppliedAt(null);
    }

    /** homenvr.io/ack resets the ladder; homenvr.io/restart forces one restart. */
    private boolean handleAnnotations() {
      String ack = in.annotations().get(CameraMonitorResources.ACK_ANNOTATION);
      if (ack != null && !ack.equals(recovery.getHandledAck())) {
        recovery.setHandledAck(ack);
        Incident open = openIncident();
        if (open != null) {
          open.setOutcome("Acknowledged");
          close(open);
          notices.add(new Notice.Acknowledged(open.getId()));
        }
        enter(Stage.Idle);
        recovery.setRestarts(0);
      }
      String restart = in.annotations().get(CameraMonitorResources.RESTART_ANNOTATION);
      if (restart != null && !restart.equals(recovery.getHandledRestartRequest())) {
        recovery.setHandledRestartRequest(restart);
        recovery.setLastRestartTime(Times.format(now));
        recovery.setHealthySince(null);
        actions.add(Action.RestartPipeline.requested());
        notices.add(new Notice.RestartRequested());
        if (stage() == Stage.Restarting) {
          enter(Stage.AwaitingRecovery);
        }
        return true;
      }
      return false;
    }

    // ---- facts about the restart in progress ---------------------------------------------------

    /**
     * Counts checks made after the last restart that saw the pipeline healthy with frames
     * advancing; true from the second in a row on. A reconcile judging the same observation again
     * is not a second check.
     */
    private boolean workingTwiceSinceRestart() {
      Instant observed = assessment.observedAt();
      if (observed == null || !observed.isAfter(lastRestart())) {
        return false;
      }
      if (!assessment.pipelineWorking()) {
        recovery.setHealthySince(null);
        return false;
      }
      Instant since = Times.parse(recovery.getHealthySince());
      if (since == null) {
        recovery.setHealthySince(Times.format(observed));
        return false;
      }
      return observed.isAfter(since);
    }

    /**
     * Status says the pipeline was restarted, but the pod it should have replaced still runs: the
     * operator stopped between writing the restart and deleting the pod. Delete it now; the restart
     * was counted, reported and evented when it was written. Its grace starts now (the operator may
     * have been down for longer than the grace: judging the old pod would restart a second time).
     *
     * @return whether the observed pod is the one to replace
     */
    private boolean resumeLostRestart() {
      Assessment.Pod pod = assessment.pod();
      Instant observed = assessment.observedAt();
      Instant restarted = Times.parse(recovery.getLastRestartTime());
      if (stage() == Stage.AwaitingRecovery
          && pod != null
          && pod.name() != null
          && pod.createdAt() != null
          && restarted != null
          && observed != null
          && observed.isAfter(restarted)
          && pod.createdAt().isBefore(restarted.minus(CLOCK_SKEW_TOLERANCE))) {
        actions.add(new Action.DeleteReplacedPod(pod.name()));
        if (restarted.equals(Times.parse(recovery.getStageSince()))) {
          recovery.setLastRestartTime(Times.format(now)); // once: the restart happens now
        }
        return true;
      }
      return false;
    }

    private boolean cooldownPassed(AiFixSpec aiFix) {
      Instant last = Times.parse(status.getAiFix().getLastRunTime());
      return last == null || !now.isBefore(last.plus(Duration.ofHours(aiFix.getCooldownHours())));
    }

    // ---- recordings and the digest ------------------------------------------------------------

    /**
     * Each closed gap in a camera's recording becomes one notice. Per camera, status keeps the end
     * of the newest gap reported ({@code recording.reportedGapsUntil}, written with the rest of the
     * step before any Event is emitted) and only gaps ending later are reported. The mark is a time
     * of the pipeline's own clock compared only with its own gap times, so clock skew between
     * operator and pipeline, checks judged twice and operator restarts never report a gap twice; a
     * mark kept from check to check (even through checks that saw no recording) keeps the ≤ 20 gaps
     * the pipeline lists from being reported again.
     */
    private void markRecordingGaps(List<CameraStatus> before) {
      for (CameraStatus camera : status.getCameras()) {
        Instant reported =
            before.stream()
                .filter(c -> camera.getName().equals(c.getName()) && c.getRecording() != null)
                .map(c -> Times.parse(c.getRecording().getReportedGapsUntil()))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Instant newest = reported;
        for (Assessment.RecordingGap gap : assessment.recordingGaps()) {
          if (!gap.camera().equals(camera.getName())
              || (reported != null && !gap.end().isAfter(reported))) {
            continue;
          }
          notices.add(new Notice.RecordingGap(gap));
          if (newest == null || gap.end().isAfter(newest)) {
            newest = gap.end();
          }
        }
        if (newest != null) {
          if (camera.getRecording() == null) {
            camera.setRecording(new RecordingStatus());
          }
          camera.getRecording().setReportedGapsUntil(Times.format(newest));
        }
      }
    }

    /** Once per {@link #DIGEST_INTERVAL} of health, when asked for: silence is never ambiguous. */
    private void digestIfDue() {
      if (!Boolean.TRUE.equals(spec.getEscalation().getDailyDigest())
          || !Channel.anyConfigured(spec.getEscalation())) {
        return;
      }
      Instant last = Times.parse(status.getLastDigestTime());
      if (last != null && now.isBefore(last.plus(DIGEST_INTERVAL))) {
        return;
      }
      notices.add(new Notice.Digest());
      status.setLastDigestTime(Times.format(now));
    }

    // ---- bookkeeping --------------------------------------------------------------------------

    private Incident open(CauseClass cause) {
      Instant previousCheck =
          Times.parse(in.status() == null ? null : in.status().getLastCheckTime());
      detectedAfter = Incidents.detectionDelay(assessment, previousCheck, now);
      Incident incident =
          Incidents.open(status, monitor, cause, assessment.problems(), now, detectedAfter);
      problemsFound(incident);
      return incident;
    }

    private void close(Incident incident) {
      recoveredAfter = Incidents.close(status, incident, now);
    }

    /** The open incident; a stage without one (hand-edited status) gets a fresh one. */
    private Incident openIncident() {
      return Incidents.open(status)
          .orElseGet(
              () ->
                  recovery.getIncident() == null && stage() == Stage.Idle
                      ? null
                      : open(
                          assessment.restartMayHelp() ? CauseClass.PIPELINE : CauseClass.EXTERNAL));
    }

    /** The incident climbed to {@code tier} in this step (what metrics count). */
    private void reach(Incident incident, Tier tier) {
      incident.setTierReached(Math.max(incident.getTierReached(), tier.number()));
      if (reached == null || tier.compareTo(reached) > 0) {
        reached = tier;
      }
    }

    private void problemsFound(Incident incident) {
      for (Problem problem : assessment.problems()) {
        notices.add(new Notice.ProblemFound(incident.getId(), problem));
      }
    }

    /** A report for the human's channel, when one is configured. */
    private void report(Incident incident, String kind) {
      if (Channel.anyConfigured(spec.getEscalation())) {
        notices.add(new Notice.Report(kind, incident.getId(), null));
      }
    }

    private void enter(Stage stage) {
      if (stage() != stage || recovery.getStageSince() == null) {
        recovery.setStage(stage.name());
        recovery.setStageSince(Times.format(now));
        recovery.setHealthySince(null);
      }
    }

    private Stage stage() {
      return Stage.parse(recovery.getStage());
    }

    private Instant stageSince() {
      return Objects.requireNonNullElse(Times.parse(recovery.getStageSince()), now);
    }

    private Instant lastRestart() {
      return Objects.requireNonNullElse(Times.parse(recovery.getLastRestartTime()), stageSince());
    }

    private Phase phase() {
      if (!assessment.judged() && stage() == Stage.Idle) {
        return Phase.Pending;
      }
      return stage().phase(assessment.problems().isEmpty());
    }

    private static List<String> kinds(List<Problem> problems) {
      return problems.stream().map(Problem::getKind).distinct().toList();
    }
  }
}
