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
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.RecordingStatus;
import io.homenvr.api.v1alpha1.status.RecoveryStatus;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.aifix.AiFixResult;
import io.homenvr.operator.dependent.CameraMonitorResources;
import io.homenvr.operator.dependent.PipelineImage;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.notify.Outbox;
import io.homenvr.operator.notify.Reports;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The escalation ladder as a pure function: (status, assessment, spec, now) → new status + actions.
 * Restart (tier 1), AI fix (tier 2), human (tier 3); external problems are reported, never
 * restarted. The caller writes the returned status before it acts, so a crash never repeats an
 * action.
 */
public class EscalationLadder {
  /** Incidents kept in status, newest first. */
  static final int INCIDENTS_KEPT = 10;

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

  private final Clock clock;

  public EscalationLadder(Clock clock) {
    this.clock = clock;
  }

  public Decision decide(LadderInput input) {
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
    private final Reports reports;
    private final List<Action> actions = new ArrayList<>();
    private Duration detectedAfter;
    private Duration recoveredAfter;
    private Tier reached;

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
      this.reports =
          new Reports(
              monitor.getMetadata().getNamespace(),
              monitor.getMetadata().getName(),
              CameraMonitorResources.pipelineName(monitor),
              CameraMonitorResources.evidenceConfigMapName(monitor));
    }

    Decision run() {
      handleOverride();
      boolean forcedRestart = handleAnnotations();
      if (assessment.judged()) {
        List<CameraStatus> before = status.getCameras();
        status.setCameras(
            new ArrayList<>(assessment.cameras().stream().map(SERIALIZATION::clone).toList()));
        reportRecordingGaps(before);
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
      return new Decision(status, actions, phase(), reached, detectedAfter, recoveredAfter);
    }

    /**
     * The override in status goes when the user changed spec.pipeline.image since it was recorded
     * (their image wins), or when asked by homenvr.io/revert-override; the annotation is removed
     * after the cleared status is written.
     */
    private void handleOverride() {
      Overrides overrides = status.getOverrides();
      boolean revert =
          in.annotations().containsKey(CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION);
      if (overrides != null && !PipelineImage.overrideApplies(overrides, spec.getPipeline())) {
        status.setOverrides(null);
        emit(
            false,
            "OverrideReverted",
            "spec.pipeline.image changed to %s since the override (%s, %s) was applied: the spec's image wins"
                .formatted(
                    Objects.requireNonNullElse(
                        spec.getPipeline().getImage(), "the operator's default"),
                    overrides.getPipelineImage(),
                    overrides.getReason()));
      } else if (overrides != null && revert) {
        status.setOverrides(null);
        emit(
            false,
            "OverrideReverted",
            "pipeline image override %s (%s) reverted as requested by %s; the pipeline runs %s again"
                .formatted(
                    overrides.getPipelineImage(),
                    overrides.getReason(),
                    CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION,
                    Objects.requireNonNullElse(
                        spec.getPipeline().getImage(), "the operator's default image")));
      }
      if (revert) {
        actions.add(new Action.RemoveAnnotation(CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION));
      }
    }

    /** homenvr.io/ack resets the ladder; homenvr.io/restart forces one restart. */
    private boolean handleAnnotations() {
      String ack = in.annotations().get(LadderResources.ACK_ANNOTATION);
      if (ack != null && !ack.equals(recovery.getHandledAck())) {
        recovery.setHandledAck(ack);
        Incident open = openIncident();
        if (open != null) {
          open.setOutcome("Acknowledged");
          close(open);
          emit(
              false,
              "Acknowledged",
              "incident %s acknowledged; the ladder starts over".formatted(open.getId()));
        }
        enter(Stage.Idle);
        recovery.setRestarts(0);
      }
      String restart = in.annotations().get(LadderResources.RESTART_ANNOTATION);
      if (restart != null && !restart.equals(recovery.getHandledRestartRequest())) {
        recovery.setHandledRestartRequest(restart);
        recovery.setLastRestartTime(Times.format(now));
        recovery.setHealthySince(null);
        actions.add(
            new Action.RestartPipeline(
                "requested by annotation " + LadderResources.RESTART_ANNOTATION));
        emit(
            false,
            "RestartRequested",
            "restarting the pipeline as requested by " + LadderResources.RESTART_ANNOTATION);
        if (stage() == Stage.Restarting) {
          enter(Stage.AwaitingRecovery);
        }
        return true;
      }
      return false;
    }

    /**
     * Each closed gap in a camera's recording becomes one Warning Event. Per camera, status keeps
     * the end of the newest gap reported ({@code recording.reportedGapsUntil}, written with the
     * rest of the step before any Event is emitted) and only gaps ending later are reported. The
     * mark is a time of the pipeline's own clock compared only with its own gap times, so clock
     * skew between operator and pipeline, checks judged twice and operator restarts never report a
     * gap twice; a mark kept from check to check (even through checks that saw no recording) keeps
     * the ≤ 20 gaps the pipeline lists from being reported again.
     */
    private void reportRecordingGaps(List<CameraStatus> before) {
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
          emit(
              true,
              "RecordingGap",
              "camera %s: no recording from %s to %s (%s s): %s"
                  .formatted(
                      gap.camera(),
                      gap.start(),
                      gap.end(),
                      seconds(Duration.between(gap.start(), gap.end())),
                      Objects.requireNonNullElse(gap.cause(), "cause not reported")));
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

    private static String seconds(Duration duration) {
      return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    /** Once per {@link #DIGEST_INTERVAL} of health, when asked for: silence is never ambiguous. */
    private void digestIfDue() {
      if (!Boolean.TRUE.equals(spec.getEscalation().getDailyDigest())
          || spec.getEscalation().getTelegram() == null) {
        return;
      }
      Instant last = Times.parse(status.getLastDigestTime());
      if (last != null && now.isBefore(last.plus(DIGEST_INTERVAL))) {
        return;
      }
      Instant dayAgo = now.minus(DIGEST_INTERVAL);
      List<Incident> lastDay =
          status.getIncidents().stream()
              .filter(i -> after(i.getOpenedAt(), dayAgo) || after(i.getClosedAt(), dayAgo))
              .toList();
      List<Assessment.RecordingGap> gapsOfTheDay =
          assessment.recordingGaps().stream().filter(g -> g.end().isAfter(dayAgo)).toList();
      Outbox.enqueueDigest(status, reports.digest(status.getCameras(), lastDay, gapsOfTheDay), now);
      status.setLastDigestTime(Times.format(now));
    }

    private static boolean after(String time, Instant instant) {
      Instant parsed = Times.parse(time);
      return parsed != null && parsed.isAfter(instant);
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
        queue(incident, Reports.DEPENDENCY_DOWN, reports.dependencyDown(incident));
      }
    }

    private void external() {
      Incident incident = openIncident();
      if (assessment.restartMayHelp()) {
        incident.setCause(CauseClass.PIPELINE);
        incident.setProblems(new ArrayList<>(assessment.problems()));
        incident.setFingerprint(fingerprint(assessment.problems()));
        emitProblems(incident);
        actions.add(new Action.CaptureEvidence(incident.getId()));
        restart(incident);
      } else if (assessment.problems().isEmpty()) {
        incident.setOutcome("RecoveredByItself");
        close(incident);
        queue(incident, Reports.DEPENDENCY_BACK, reports.dependencyBack(incident, now));
        emit(
            false,
            "DependencyBack",
            "incident %s: dependencies are back".formatted(incident.getId()));
        enter(Stage.Idle);
      }
    }

    private void awaitingRecovery() {
      resumeLostRestart();
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
        queue(incident, Reports.FIXED_BY_RESTART, reports.fixedByRestart(incident, now));
        emit(
            false,
            "FixedByRestart",
            "incident %s fixed by %d restart(s)"
                .formatted(incident.getId(), incident.getRestarts()));
        recovery.setRestarts(0);
        enter(Stage.Idle);
      } else if (!assessment.restartMayHelp()) {
        incident.setCause(CauseClass.EXTERNAL);
        enter(Stage.External);
        queue(incident, Reports.DEPENDENCY_DOWN, reports.dependencyDown(withProblemsNow(incident)));
      } else {
        enter(Stage.Restarting);
        restarting();
      }
    }

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
     * was counted, reported and evented when it was written.
     */
    private void resumeLostRestart() {
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

    private void escalate(Incident incident) {
      AiFixSpec aiFix = spec.getEscalation().getAiFix();
      String fingerprint = incident.getFingerprint();
      if (aiFix == null || !Boolean.TRUE.equals(aiFix.getEnabled())) {
        needsHuman(
            incident,
            "%d restart(s) did not help and the AI fix tier is off"
                .formatted(incident.getRestarts()));
      } else if (status.getAiFix().getFixedFingerprints().contains(fingerprint)) {
        needsHuman(
            incident,
            "an AI fix already claimed to fix this problem (%s) once; it is back"
                .formatted(fingerprint));
      } else if (!cooldownPassed(aiFix)) {
        needsHuman(
            incident,
            "%d restart(s) did not help and the AI fix is cooling down (one per %d h)"
                .formatted(incident.getRestarts(), aiFix.getCooldownHours()));
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
        emit(
            true,
            "AiFixStarted",
            "incident %s: %d restart(s) did not help; AI fix Job %s started"
                .formatted(incident.getId(), incident.getRestarts(), job));
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

    private void finishAiFix(Incident incident, AiFixResult result) {
      AiFixRun run = incident.getAiFix();
      run.setFinishedAt(Times.format(now));
      run.setOutcome(result.outcome() == null ? AiFixResult.ERROR : result.outcome());
      run.setSummary(result.summary());
      run.setCommit(result.commit());
      run.setBranch(result.branch());
      run.setImage(result.image());
      if (result.fixed()) {
        List<String> fixed = status.getAiFix().getFixedFingerprints();
        if (!fixed.contains(incident.getFingerprint())) {
          fixed.add(incident.getFingerprint());
        }
        enter(Stage.VerifyingFix);
        if (result.image() == null || result.image().isBlank()) {
          actions.add(new Action.RollOutFix());
        } else {
          overridePipelineImage(incident, result);
        }
        emit(
            false,
            "AiFixApplied",
            "incident %s: AI fix %s rolled out; verifying for %d s"
                .formatted(
                    incident.getId(),
                    Objects.requireNonNullElse(result.commit(), ""),
                    spec.getEscalation().getAiFix().getVerifySeconds()));
        queue(
            incident,
            Reports.AI_FIX_APPLIED,
            reports.aiFixApplied(incident, spec.getEscalation().getAiFix().getVerifySeconds()));
      } else {
        needsHuman(incident, "the AI fix ended with %s".formatted(run.getOutcome()));
      }
    }

    /**
     * The fix's image goes into status.overrides, which the Deployment is rendered from; the user's
     * spec (perhaps managed from Git) is never written.
     */
    private void overridePipelineImage(Incident incident, AiFixResult result) {
      Overrides overrides = new Overrides();
      overrides.setPipelineImage(result.image());
      overrides.setSpecImage(spec.getPipeline().getImage());
      overrides.setIncident(incident.getId());
      overrides.setReason(
          "AI fix of incident %s, job %s, commit %s"
              .formatted(
                  incident.getId(),
                  incident.getAiFix().getJob(),
                  Objects.requireNonNullElse(result.commit(), "unknown")));
      overrides.setAppliedAt(Times.format(now));
      status.setOverrides(overrides);
      emit(
          false,
          "OverrideApplied",
          "pipeline image overridden by the AI fix of incident %s: %s; revert with kubectl -n %s annotate cammon %s %s=true"
              .formatted(
                  incident.getId(),
                  result.image(),
                  monitor.getMetadata().getNamespace(),
                  monitor.getMetadata().getName(),
                  CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION));
    }

    private void verifyingFix() {
      Incident incident = openIncident();
      Instant since = stageSince();
      if (now.isBefore(since.plusSeconds(spec.getRecovery().getRecoveryGraceSeconds()))) {
        return;
      }
      if (!assessment.pipelineHealthy()) {
        incident.getAiFix().setOutcome("did-not-hold");
        needsHuman(incident, "the AI fix did not hold: " + kinds(assessment.pipelineProblems()));
      } else if (!now.isBefore(
          since.plusSeconds(spec.getEscalation().getAiFix().getVerifySeconds()))) {
        incident.getAiFix().setOutcome("held");
        incident.setOutcome("FixedByAi");
        close(incident);
        emit(
            false,
            "AiFixHeld",
            "incident %s: the AI fix held for %d s"
                .formatted(incident.getId(), spec.getEscalation().getAiFix().getVerifySeconds()));
        recovery.setRestarts(0);
        enter(Stage.Idle);
      }
    }

    private void needsHuman() {
      Incident incident = openIncident();
      if (assessment.pipelineHealthy()) {
        close(incident);
        queue(incident, Reports.RECOVERED, reports.recovered(incident, now));
        emit(false, "Recovered", "incident %s: healthy again".formatted(incident.getId()));
        recovery.setRestarts(0);
        enter(Stage.Idle);
      }
    }

    private void needsHuman(Incident incident, String reason) {
      reach(incident, Tier.HUMAN);
      incident.setOutcome("NeedsHuman");
      enter(Stage.NeedsHuman);
      emit(true, "NeedsHuman", "incident %s: %s".formatted(incident.getId(), reason));
      queue(
          incident,
          Reports.NEEDS_HUMAN,
          reports.needsHuman(incident, reason, Times.parse(recovery.getLastRestartTime())));
    }

    /** The incident climbed to {@code tier} in this step (what metrics count). */
    private void reach(Incident incident, Tier tier) {
      incident.setTierReached(Math.max(incident.getTierReached(), tier.number()));
      if (reached == null || tier.compareTo(reached) > 0) {
        reached = tier;
      }
    }

    private Incident open(CauseClass cause) {
      Incident incident = new Incident();
      incident.setId(
          LadderResources.incidentId(
              now, Objects.requireNonNullElse(monitor.getMetadata().getGeneration(), 0L)));
      incident.setOpenedAt(Times.format(now));
      incident.setCause(cause);
      incident.setProblems(new ArrayList<>(assessment.problems()));
      incident.setFingerprint(fingerprint(assessment.problems()));
      incident.setEvidence(
          cause == CauseClass.PIPELINE
              ? CameraMonitorResources.evidenceConfigMapName(monitor) + "/" + incident.getId()
              : null);
      status.getIncidents().add(0, incident);
      while (status.getIncidents().size() > INCIDENTS_KEPT) {
        status.getIncidents().remove(status.getIncidents().size() - 1);
      }
      recovery.setIncident(incident.getId());
      recovery.setRestarts(0);
      detectedAfter = detectionDelay();
      // reports count the incident from the fault, not from the check that caught it
      incident.setFaultAt(Times.format(now.minus(detectedAfter)));
      emitProblems(incident);
      return incident;
    }

    private void restart(Incident incident) {
      int n = Objects.requireNonNullElse(recovery.getRestarts(), 0) + 1;
      if (n > spec.getRecovery().getMaxRestarts()) {
        escalate(incident);
        return;
      }
      recovery.setRestarts(n);
      recovery.setLastRestartTime(Times.format(now));
      recovery.setHealthySince(null);
      incident.setRestarts(n);
      reach(incident, Tier.RESTART);
      enter(Stage.AwaitingRecovery);
      String why = kinds(assessment.pipelineProblems());
      actions.add(
          new Action.RestartPipeline(
              "restart %d/%d for %s".formatted(n, spec.getRecovery().getMaxRestarts(), why)));
      emit(
          true,
          "RestartingPipeline",
          "incident %s: restart %d of %d (%s)"
              .formatted(incident.getId(), n, spec.getRecovery().getMaxRestarts(), why));
    }

    private void close(Incident incident) {
      incident.setClosedAt(Times.format(now));
      recovery.setIncident(null);
      Instant opened = Times.parse(incident.getOpenedAt());
      recoveredAfter = opened == null ? null : Duration.between(opened, now);
    }

    private void queue(Incident incident, String kind, String text) {
      if (spec.getEscalation().getTelegram() != null) {
        Outbox.enqueue(status, incident, kind, text, now);
      }
    }

    private void emitProblems(Incident incident) {
      for (Problem problem : assessment.problems()) {
        emit(
            true,
            problem.getKind(),
            "incident %s: %s (%s)"
                .formatted(incident.getId(), problem.getMessage(), problem.getCause()));
      }
    }

    private void emit(boolean warning, String reason, String message) {
      actions.add(new Action.Emit(warning, reason, message));
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

    /** The open incident; a stage without one (hand-edited status) gets a fresh one. */
    private Incident openIncident() {
      String id = recovery.getIncident();
      return status.getIncidents().stream()
          .filter(i -> id != null && id.equals(i.getId()))
          .findFirst()
          .orElseGet(
              () ->
                  id == null && stage() == Stage.Idle
                      ? null
                      : open(
                          assessment.restartMayHelp() ? CauseClass.PIPELINE : CauseClass.EXTERNAL));
    }

    private Incident withProblemsNow(Incident incident) {
      incident.setProblems(new ArrayList<>(assessment.problems()));
      return incident;
    }

    private boolean cooldownPassed(AiFixSpec aiFix) {
      Instant last = Times.parse(status.getAiFix().getLastRunTime());
      return last == null || !now.isBefore(last.plus(Duration.ofHours(aiFix.getCooldownHours())));
    }

    /** Since the oldest last frame of a stale camera, else since the previous check. */
    private Duration detectionDelay() {
      Instant earliest =
          assessment.cameras().stream()
              .filter(c -> "Stale".equals(c.getState()) || "Down".equals(c.getState()))
              .map(CameraStatus::getLastFrameTime)
              .map(Times::parse)
              .filter(Objects::nonNull)
              .min(Instant::compareTo)
              .orElse(Times.parse(in.status() == null ? null : in.status().getLastCheckTime()));
      return earliest == null || earliest.isAfter(now)
          ? Duration.ZERO
          : Duration.between(earliest, now);
    }

    private Phase phase() {
      if (!assessment.judged() && stage() == Stage.Idle) {
        return Phase.Pending;
      }
      return switch (stage()) {
        case Idle -> assessment.problems().isEmpty() ? Phase.Healthy : Phase.Degraded;
        case External -> Phase.Degraded;
        case AwaitingRecovery, Restarting -> Phase.Recovering;
        case AiFixRunning, VerifyingFix -> Phase.Fixing;
        case NeedsHuman -> Phase.NeedsAttention;
      };
    }

    private static String kinds(List<Problem> problems) {
      return problems.stream().map(Problem::getKind).distinct().collect(Collectors.joining(", "));
    }
  }

  /** Stable short hash of the problem kinds (cameras and numbers left out on purpose). */
  public static String fingerprint(List<Problem> problems) {
    String kinds =
        problems.stream()
            .map(Problem::getKind)
            .distinct()
            .sorted()
            .collect(Collectors.joining(","));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(kinds.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
