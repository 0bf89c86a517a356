package io.homenvr.sandbox.scenario;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.sandbox.fakes.FakeTelegram;
import io.homenvr.sandbox.system.SandboxSystem;
import io.homenvr.sandbox.system.Thresholds;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The scripted faults of the sandbox: each injects one real fault into the running system and
 * checks what a user would see (status, Events, Telegram), with deadlines derived from the
 * thresholds, never sleeps. Used by {@code --scenario}, {@code --bench} and the e2e tests.
 */
public final class Scenarios {
  public static final List<String> NAMES =
      List.of(
          "wedged-pipeline",
          "deadlocked-camera",
          "recording-stalled",
          "spinning-pipeline",
          "silent-logs",
          "serious-errors",
          "transient-errors",
          "camera-down",
          "ollama-down",
          "telegram-outage",
          "operator-restart",
          "ai-fix",
          "ai-no-fix");

  private static final Duration POLL = Duration.ofMillis(200);

  /** The API's default logStaleSeconds. */
  private static final int DEFAULT_LOG_STALE = 600;

  /**
   * logStaleSeconds for the silent-logs scenario: short, so that it is the log rule that fires (the
   * pipeline logs its summary every logStaleSeconds / 2).
   */
  private static final int SHORT_LOG_STALE = 20;

  /** How long an "exactly one" must stay true after it is first seen. */
  private static final Duration HOLDS = Duration.ofSeconds(4);

  /** The wording the pipeline appends to an alert decided locally because the LLM is down. */
  private static final String UNVERIFIED = "unverified: vision LLM down";

  private final SandboxSystem system;
  private final Thresholds thresholds;
  private final PrintStream out;

  public Scenarios(SandboxSystem system, Thresholds thresholds, PrintStream out) {
    this.system = system;
    this.thresholds = thresholds;
    this.out = out;
  }

  public ScenarioResult run(String name) {
    Instant started = Instant.now();
    try {
      return switch (name) {
        case "wedged-pipeline" ->
            pipelineFault(name, system::wedgePipeline, "HeartbeatUnreachable", DEFAULT_LOG_STALE);
        case "deadlocked-camera" ->
            pipelineFault(
                name, () -> system.deadlockCamera("gate"), "CameraStuck", DEFAULT_LOG_STALE);
        case "recording-stalled" ->
            pipelineFault(
                name, () -> system.wedgeRecorder("gate"), "RecordingStalled", DEFAULT_LOG_STALE);
        case "spinning-pipeline" ->
            pipelineFault(name, system::spinPipeline, "CpuSpin", DEFAULT_LOG_STALE);
        case "silent-logs" ->
            pipelineFault(name, system::silenceLogs, "LogsStale", SHORT_LOG_STALE);
        case "serious-errors" ->
            pipelineFault(
                name, () -> system.errorStorm(true, 20, 200), "SeriousErrors", DEFAULT_LOG_STALE);
        case "transient-errors" -> transientErrors();
        case "camera-down" -> cameraDown();
        case "ollama-down" -> ollamaDown();
        case "telegram-outage" -> telegramOutage();
        case "operator-restart" -> operatorRestart();
        case "ai-fix" -> aiFix(true);
        case "ai-no-fix" -> aiFix(false);
        default ->
            throw new IllegalArgumentException(
                "no scenario " + name + "; scenarios: " + String.join(", ", NAMES));
      };
    } catch (ConditionTimeoutException | AssertionError | IllegalStateException e) {
      return ScenarioResult.failed(name, e.getMessage(), Duration.between(started, Instant.now()));
    } catch (Exception e) {
      return ScenarioResult.failed(name, e.toString(), Duration.between(started, Instant.now()));
    } finally {
      try {
        system.resetFaults();
      } catch (java.io.IOException e) {
        out.println("[scenario] could not undo the faults: " + e.getMessage());
      }
    }
  }

  /** A fresh CameraMonitor, healthy, before a fault. */
  public void freshHealthyMonitor(boolean aiFix, int maxRestarts) {
    freshHealthyMonitor(aiFix, maxRestarts, DEFAULT_LOG_STALE);
  }

  private void freshHealthyMonitor(boolean aiFix, int maxRestarts, int logStaleSeconds) {
    system.deleteMonitor();
    Thresholds used =
        new Thresholds(
            thresholds.checkIntervalSeconds(),
            thresholds.frameStaleSeconds(),
            thresholds.recoveryGraceSeconds(),
            maxRestarts);
    system.apply(system.exampleMonitor(used, aiFix, logStaleSeconds));
    step("applied cammon/" + SandboxSystem.MONITOR + ", waiting for it to be Healthy");
    awaitUntil("the CameraMonitor is Healthy", startupDeadline(), this::healthy);
    // faults hit a settled pipeline, as in life: past its start-up CPU burst, healthy a while
    Instant[] healthySince = {Instant.now()};
    awaitUntil(
        "the pipeline has settled (Healthy and Ready for two checks, CPU below 300m)",
        startupDeadline(),
        () -> {
          // Ready too: the health check can find the new pod fine before the Deployment counts it
          // available, and Ready's PipelineStarting -> PipelineRunning Event must not land in the
          // fault's window (seen once: transient-errors' "no Event since the storm")
          if (!healthy() || !ready()) {
            healthySince[0] = Instant.now();
            return false;
          }
          return Duration.between(healthySince[0], Instant.now()).toSeconds()
                  >= 2L * thresholds.checkIntervalSeconds()
              && pipelineMillicores() < 300;
        });
  }

  private long pipelineMillicores() {
    return system
        .pipelinePod()
        .flatMap(
            pod -> system.kubelet().metrics(SandboxSystem.NAMESPACE, pod.getMetadata().getName()))
        .map(
            m ->
                m.getContainers()
                    .get(0)
                    .getUsage()
                    .get("cpu")
                    .getNumericalAmount()
                    .movePointRight(3)
                    .longValue())
        .orElse(Long.MAX_VALUE);
  }

  /**
   * One fault that a restart heals, and the behavioural rule that must be the one that caught it:
   * the incident's problems must name {@code rule}, so the scenario fails if that rule is gone.
   */
  private ScenarioResult pipelineFault(
      String name, Callable<String> fault, String rule, int logStaleSeconds) throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts(), logStaleSeconds);
    String podBefore = system.pipelinePod().orElseThrow().getMetadata().getName();
    int messagesBefore = system.telegram().delivered().size();
    Instant faultAt = Instant.now();
    step(fault.call());
    Incident incident =
        awaitIncident(
            "RecordingStalled".equals(rule)
                ? recordingDetectDeadline()
                : detectDeadline(logStaleSeconds));
    Duration detect = Duration.between(faultAt, Instant.now());
    step("detected in " + seconds(detect) + ": " + incident.getProblems());
    List<String> kinds = incident.getProblems().stream().map(p -> p.getKind()).toList();
    check(kinds.contains(rule), "the " + rule + " rule caught it; the incident names " + kinds);
    awaitUntil(
        "the old pipeline pod is being replaced", recoverDeadline(), () -> replacing(podBefore));
    Duration restart = Duration.between(faultAt, Instant.now());
    step("restart started " + seconds(restart) + " after the fault");
    awaitUntil(
        "frames flow again from a new pipeline",
        recoverDeadline(),
        () -> framesFlowFromANewPod(podBefore));
    Duration restore = Duration.between(faultAt, Instant.now());
    check(
        incident.getCause() == CauseClass.PIPELINE,
        "the incident is a PIPELINE one: " + incident.getCause());
    awaitUntil(
        "evidence is kept for incident " + incident.getId(),
        reportDeadline(),
        () ->
            system
                .monitor()
                .flatMap(m -> incident(m, incident.getId()))
                .map(this::evidenceKept)
                .orElse(false));
    awaitUntil(
        "the pipeline is Healthy again after a restart",
        recoverDeadline(),
        () -> closed(incident.getId()));
    Duration recover = Duration.between(faultAt, Instant.now());
    String podAfter = system.pipelinePod().orElseThrow().getMetadata().getName();
    check(!podAfter.equals(podBefore), "the pipeline pod was replaced (" + podBefore + ")");
    CameraMonitor monitor = system.monitor().orElseThrow();
    check(monitor.getStatus().getRecovery().getRestarts() == 0, "the restart counter was reset");
    Incident closed = incident(monitor, incident.getId()).orElseThrow();
    check(
        "FixedByRestart".equals(closed.getOutcome()),
        "outcome FixedByRestart, was " + closed.getOutcome());
    awaitUntil(
        "one 'fixed' report reached Telegram",
        reportDeadline(),
        () -> reports(messagesBefore, incident.getId()).size() == 1);
    awaitHolds(
        "exactly one report for " + incident.getId(),
        () -> reports(messagesBefore, incident.getId()).size() == 1);
    List<String> reasons = eventReasons(faultAt);
    check(
        reasons.contains("RestartingPipeline") && reasons.contains("FixedByRestart"),
        "Events RestartingPipeline and FixedByRestart on this cammon/"
            + SandboxSystem.MONITOR
            + " since the fault: "
            + reasons);
    return ScenarioResult.passed(
        name,
        rule + " fired; restarted " + podBefore + " -> " + podAfter + ", one report",
        detect,
        restart,
        restore,
        recover);
  }

  /**
   * A storm of transient errors (connections reset) logged at ERROR while frames flow: the
   * operator's transientErrorPatterns let them pass, so nothing happens, for several checks.
   */
  private ScenarioResult transientErrors() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    String pod = system.pipelinePod().orElseThrow().getMetadata().getName();
    Instant faultAt = Instant.now();
    int lines = 5 * thresholds.checkIntervalSeconds() * 4;
    step(system.errorStorm(false, lines, 250));
    Duration storm = Duration.ofMillis(lines * 250L);
    await("nothing happens while transient errors are logged")
        .pollInterval(POLL)
        .during(storm.plusSeconds(2L * thresholds.checkIntervalSeconds()))
        .atMost(storm.plusSeconds(3L * thresholds.checkIntervalSeconds() + 10))
        .until(
            () ->
                healthy()
                    && openIncident() == null
                    && restarts() == 0
                    && system
                        .pipelinePod()
                        .map(p -> p.getMetadata().getName())
                        .orElse("")
                        .equals(pod));
    check(eventReasons(faultAt).isEmpty(), "no Event since the storm: " + eventReasons(faultAt));
    return ScenarioResult.passed(
        "transient-errors",
        lines + " transient error lines, no incident, no restart, no Event",
        null,
        Duration.between(faultAt, Instant.now()));
  }

  private ScenarioResult cameraDown() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    String pod = system.pipelinePod().orElseThrow().getMetadata().getName();
    Instant faultAt = Instant.now();
    system.camera("garden").kill();
    step("camera garden killed (connections refused)");
    Incident incident = awaitIncident(detectDeadline());
    Duration detect = Duration.between(faultAt, Instant.now());
    check(
        incident.getCause() == CauseClass.EXTERNAL,
        "a camera down is EXTERNAL, was " + incident.getCause());
    awaitUntil("phase Degraded", detectDeadline(), () -> phase() == Phase.Degraded);
    // several checks pass and nothing is restarted: a restart cannot bring a camera back
    Instant holdUntil = Instant.now().plusSeconds(3L * thresholds.checkIntervalSeconds());
    await()
        .pollInterval(POLL)
        .atMost(Duration.ofSeconds(4L * thresholds.checkIntervalSeconds()))
        .until(
            () -> {
              check(restarts() == 0, "no restart for an EXTERNAL problem");
              check(
                  system.pipelinePod().map(p -> p.getMetadata().getName()).orElse("").equals(pod),
                  "the pipeline pod was not replaced");
              return Instant.now().isAfter(holdUntil);
            });
    system.camera("garden").revive();
    step("camera garden is back");
    awaitUntil("Healthy again by itself", recoverDeadline(), () -> closed(incident.getId()));
    Duration recover = Duration.between(faultAt, Instant.now());
    Incident closed = incident(system.monitor().orElseThrow(), incident.getId()).orElseThrow();
    check(
        "RecoveredByItself".equals(closed.getOutcome()),
        "outcome RecoveredByItself, was " + closed.getOutcome());
    return ScenarioResult.passed(
        "camera-down", "EXTERNAL, no restarts, recovered by itself", detect, recover);
  }

  private ScenarioResult ollamaDown() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    Instant faultAt = Instant.now();
    system.ollama().down();
    step("Ollama is down");
    awaitUntil(
        "phase Degraded",
        detectDeadline().plus(Duration.ofSeconds(30)),
        () -> phase() == Phase.Degraded);
    Duration detect = Duration.between(faultAt, Instant.now());
    check(restarts() == 0, "no restart because Ollama is down");
    // alerts still flow: the people walking past the people camera are found by the local
    // detector and sent as a photo marked unverified (the alert cooldown is 30 s)
    awaitUntil(
        "a person alert from camera "
            + SandboxSystem.PEOPLE_CAMERA_NAME
            + " marked '"
            + UNVERIFIED
            + "' reaches Telegram as a photo",
        detectDeadline().plus(Duration.ofSeconds(90)),
        () -> unverifiedAlertSince(faultAt).isPresent());
    step(
        "alert delivered: "
            + unverifiedAlertSince(faultAt).orElseThrow().text().replace("\n", " "));
    check(phase() == Phase.Degraded, "still Degraded while Ollama is down, was " + phase());
    check(restarts() == 0, "still no restart while degraded");
    system.ollama().up();
    step("Ollama is back");
    awaitUntil("Healthy again", recoverDeadline().plus(Duration.ofSeconds(30)), this::healthy);
    check(restarts() == 0, "still no restart");
    return ScenarioResult.passed(
        "ollama-down",
        "Degraded, no restarts, a person alert marked unverified delivered meanwhile",
        detect,
        Duration.between(faultAt, Instant.now()));
  }

  private Optional<FakeTelegram.Message> unverifiedAlertSince(Instant since) {
    return system.telegram().delivered().stream()
        .filter(
            m ->
                m.photo()
                    && !m.time().isBefore(since)
                    && m.text().startsWith(SandboxSystem.PEOPLE_CAMERA_NAME + " ")
                    && m.text().contains(UNVERIFIED))
        .findFirst();
  }

  /**
   * Telegram answers 429 with retry_after, then 500: the operator's report (told apart from the
   * pipeline's alerts by its chat) waits at least retry_after after each 429, keeps retrying, and
   * is delivered exactly once after the outage.
   */
  private ScenarioResult telegramOutage() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    int messagesBefore = system.telegram().delivered().size();
    system.telegram().mode(FakeTelegram.Mode.RATE_LIMITED);
    step("Telegram answers 429 with retry_after " + FakeTelegram.RETRY_AFTER_SECONDS + " s");
    Instant faultAt = Instant.now();
    system.wedgePipeline();
    Incident incident = awaitIncident(detectDeadline());
    awaitUntil("healthy after the restart", recoverDeadline(), () -> closed(incident.getId()));
    awaitUntil(
        "the report was refused with 429 twice",
        reportDeadline(),
        () -> reportRequests(faultAt, 429).size() >= 2);
    check(
        reports(messagesBefore, incident.getId()).isEmpty(), "nothing delivered during the outage");
    List<FakeTelegram.Request> limited = reportRequests(faultAt, 429);
    for (int i = 1; i < limited.size(); i++) {
      Duration waited = Duration.between(limited.get(i - 1).time(), limited.get(i).time());
      check(
          waited.toMillis() >= FakeTelegram.RETRY_AFTER_SECONDS * 1000L - 100,
          "the operator waited retry_after ("
              + FakeTelegram.RETRY_AFTER_SECONDS
              + " s) before retrying; it waited "
              + seconds(waited));
    }
    system.telegram().mode(FakeTelegram.Mode.SERVER_ERROR);
    step("Telegram answers 500");
    Instant serverErrorFrom = Instant.now();
    awaitUntil(
        "the report was retried against the 500",
        reportDeadline(),
        () -> !reportRequests(serverErrorFrom, 500).isEmpty());
    system.telegram().mode(FakeTelegram.Mode.OK);
    Instant outageEnd = Instant.now();
    step("Telegram is back");
    awaitUntil(
        "the report was delivered after the outage",
        reportDeadline(),
        () -> reports(messagesBefore, incident.getId()).size() == 1);
    check(
        !reports(messagesBefore, incident.getId()).get(0).time().isBefore(outageEnd),
        "the report was delivered after the outage ended");
    awaitHolds(
        "delivered exactly once", () -> reports(messagesBefore, incident.getId()).size() == 1);
    Duration recover = Duration.between(faultAt, Instant.now());
    return ScenarioResult.passed(
        "telegram-outage",
        "report waited retry_after on each of %d 429s, retried on 500, delivered once after"
            .formatted(limited.size()),
        null,
        recover);
  }

  /** Requests to the operator's report chat answered with {@code status} since a time. */
  private List<FakeTelegram.Request> reportRequests(Instant since, int status) {
    return system.telegram().requests().stream()
        .filter(r -> SandboxSystem.REPORT_CHAT_ID.equals(r.chatId()))
        .filter(r -> r.status() == status && !r.time().isBefore(since))
        .toList();
  }

  /**
   * The operator dies between writing a restart to status and deleting the pod (an admission hook
   * on the pod's deletion kills it, deterministically): started again, it does that one restart,
   * exactly once, and reports once.
   */
  private ScenarioResult operatorRestart() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    int messagesBefore = system.telegram().delivered().size();
    String wedgedPod = system.pipelinePod().orElseThrow().getMetadata().getName();
    system.killOperatorAtNextPipelineDeletion();
    Instant faultAt = Instant.now();
    system.wedgePipeline();
    Incident incident = awaitIncident(detectDeadline());
    Duration detect = Duration.between(faultAt, Instant.now());
    check(
        system.operatorKilledAtPipelineDeletion(recoverDeadline()),
        "the operator was killed at its request to delete the wedged pod");
    step("operator killed (SIGKILL) after writing restart 1, before the pod was deleted");
    check(restarts() == 1, "restart 1 is in status though it was not done: " + restarts());
    String podNow = system.pipelinePod().map(p -> p.getMetadata().getName()).orElse("none");
    check(
        podNow.equals(wedgedPod),
        "the wedged pod " + wedgedPod + " is still the pipeline's pod, not " + podNow);
    system.operator().start();
    step("operator started again");
    awaitUntil(
        "Healthy again", recoverDeadline().plus(startupDeadline()), () -> closed(incident.getId()));
    Duration recover = Duration.between(faultAt, Instant.now());
    Incident closed = incident(system.monitor().orElseThrow(), incident.getId()).orElseThrow();
    check(closed.getRestarts() == 1, "one restart recorded, was " + closed.getRestarts());
    awaitHolds(
        "exactly one pod replaced",
        () -> system.kubelet().podsStartedSince(SandboxSystem.NAMESPACE, faultAt) == 1);
    awaitUntil(
        "the report reached Telegram",
        reportDeadline(),
        () -> reports(messagesBefore, incident.getId()).size() >= 1);
    awaitHolds("no duplicate report", () -> reports(messagesBefore, incident.getId()).size() == 1);
    long pipelineDeployments =
        system
            .client()
            .apps()
            .deployments()
            .inNamespace(SandboxSystem.NAMESPACE)
            .list()
            .getItems()
            .size();
    check(pipelineDeployments == 1, "no duplicate Deployment");
    return ScenarioResult.passed(
        "operator-restart",
        "operator killed between 'restart 1 written' and the pod's deletion; one restart done,"
            + " one pod replaced, one report",
        detect,
        recover);
  }

  private ScenarioResult aiFix(boolean agentFixes) throws Exception {
    String name = agentFixes ? "ai-fix" : "ai-no-fix";
    freshHealthyMonitor(true, 1);
    int messagesBefore = system.telegram().delivered().size();
    system.setStubAgentOutcome(agentFixes ? "fixed" : "no-fix");
    Instant faultAt = Instant.now();
    system.startPersistentWedge();
    step("every pipeline process is wedged a few seconds after it starts: restarts cannot help");
    Incident incident = awaitIncident(detectDeadline());
    Duration detect = Duration.between(faultAt, Instant.now());
    Duration ladder = recoverDeadline().multipliedBy(3).plus(Duration.ofSeconds(150));
    awaitUntil("an AI-fix Job ran to completion", ladder, () -> finishedJob().isPresent());
    awaitHolds(
        "one AI-fix Job for the incident",
        () ->
            system
                    .client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(SandboxSystem.NAMESPACE)
                    .list()
                    .getItems()
                    .size()
                == 1);
    check(
        system
                .client()
                .batch()
                .v1()
                .jobs()
                .inNamespace(SandboxSystem.NAMESPACE)
                .list()
                .getItems()
                .size()
            == 1,
        "one AI-fix Job for the incident");
    step("AI-fix Job " + finishedJob().get().getMetadata().getName() + " finished");
    if (agentFixes) {
      // the fault spares only the fix's image: a rollout that ignored the fix would not heal
      awaitUntil("outcome FixedByAi", ladder, () -> "FixedByAi".equals(outcome(incident.getId())));
      awaitUntil("Healthy", recoverDeadline(), () -> closed(incident.getId()));
      Incident fixed = incident(system.monitor().orElseThrow(), incident.getId()).orElseThrow();
      String commit = fixed.getAiFix().getCommit();
      check(commit != null && commit.matches("[0-9a-f]{40}"), "the fix's commit: " + commit);
      String image =
          system
              .client()
              .apps()
              .deployments()
              .inNamespace(SandboxSystem.NAMESPACE)
              .withName(SandboxSystem.MONITOR + "-pipeline")
              .get()
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getImage();
      check(
          image.equals(SandboxSystem.FIXED_IMAGE_PREFIX + commit),
          "the fix's image is rolled out: " + image);
      check(
          system
              .pipelinePod()
              .orElseThrow()
              .getSpec()
              .getContainers()
              .get(0)
              .getImage()
              .equals(image),
          "the running pod is the fix's image");
      CameraMonitor after = system.monitor().orElseThrow();
      check(
          after.getStatus().getOverrides() != null
              && image.equals(after.getStatus().getOverrides().getPipelineImage())
              && incident.getId().equals(after.getStatus().getOverrides().getIncident()),
          "the fix's image is recorded in status.overrides for incident " + incident.getId());
      check(
          after.getSpec().getPipeline().getImage() == null
              || !after.getSpec().getPipeline().getImage().equals(image),
          "the user's spec.pipeline.image is untouched: "
              + after.getSpec().getPipeline().getImage());
      awaitUntil(
          "a report of the applied fix naming its commit",
          reportDeadline(),
          () ->
              reports(messagesBefore, incident.getId()).stream()
                  .anyMatch(m -> m.text().contains(commit.substring(0, 7))));
      system.stopPersistentWedge();
    } else {
      awaitUntil("phase NeedsAttention", ladder, () -> phase() == Phase.NeedsAttention);
      check(
          "no-fix".equals(aiFixOutcome(incident.getId())),
          "the AI fix's outcome is no-fix: " + aiFixOutcome(incident.getId()));
      awaitUntil(
          "a 'needs a human' report",
          reportDeadline(),
          () ->
              reports(messagesBefore, incident.getId()).stream()
                  .anyMatch(m -> m.text().contains("needs a human")));
      awaitHolds(
          "exactly one 'needs a human' report",
          () ->
              reports(messagesBefore, incident.getId()).stream()
                      .filter(m -> m.text().contains("needs a human"))
                      .count()
                  == 1);
      system.stopPersistentWedge();
    }
    Duration recover = Duration.between(faultAt, Instant.now());
    return ScenarioResult.passed(
        name,
        agentFixes ? "tier 2 fixed it (stub agent)" : "tier 2 found nothing, tier 3 told a human",
        detect,
        recover);
  }

  // ---- reading what a user sees ----

  /** The CameraMonitor's Ready condition is True (the Deployment has its pod available). */
  private boolean ready() {
    return system
        .monitor()
        .map(
            m ->
                m.getStatus() != null
                    && m.getStatus().getConditions() != null
                    && m.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .orElse(false);
  }

  private boolean healthy() {
    return system
            .monitor()
            .map(m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy)
            .orElse(false)
        && system.pipelinePod().isPresent();
  }

  /** Another pod than the wedged one serves /status with every camera streaming. */
  /** The pod was deleted (it has a deletionTimestamp, or is gone): a restart has started. */
  private boolean replacing(String pod) {
    Pod current = system.client().pods().inNamespace(SandboxSystem.NAMESPACE).withName(pod).get();
    return current == null || current.getMetadata().getDeletionTimestamp() != null;
  }

  private boolean framesFlowFromANewPod(String oldPod) throws Exception {
    var pod = system.pipelinePod();
    if (pod.isEmpty() || pod.get().getMetadata().getName().equals(oldPod)) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode status;
    try {
      status = pipelineStatus();
    } catch (java.io.IOException starting) {
      return false;
    }
    var cameras = status.path("cameras");
    boolean streaming = cameras.size() == SandboxSystem.CAMERAS.size();
    for (var camera : cameras) {
      streaming &=
          "STREAMING".equals(camera.path("state").asText())
              && camera.path("framesTotal").asLong() > 0;
    }
    return streaming;
  }

  /** The pipeline's own /status heartbeat, read from its pod address. */
  private com.fasterxml.jackson.databind.JsonNode pipelineStatus() throws Exception {
    String ip = system.pipelinePod().orElseThrow().getStatus().getPodIP();
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + ip + ":8080/status"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
  }

  /** Healthy again with this incident closed: not merely Healthy before the ladder acted. */
  private boolean closed(String incidentId) {
    return healthy()
        && system
            .monitor()
            .flatMap(m -> incident(m, incidentId))
            .map(i -> i.getClosedAt() != null)
            .orElse(false);
  }

  private Phase phase() {
    return system
        .monitor()
        .map(m -> m.getStatus() == null ? null : m.getStatus().getPhase())
        .orElse(null);
  }

  private int restarts() {
    return system
        .monitor()
        .map(
            m ->
                m.getStatus() == null || m.getStatus().getRecovery() == null
                    ? 0
                    : m.getStatus().getRecovery().getRestarts())
        .orElse(0);
  }

  private String outcome(String incidentId) {
    return system
        .monitor()
        .flatMap(m -> incident(m, incidentId))
        .map(Incident::getOutcome)
        .orElse(null);
  }

  private String aiFixOutcome(String incidentId) {
    return system
        .monitor()
        .flatMap(m -> incident(m, incidentId))
        .map(i -> i.getAiFix() == null ? null : i.getAiFix().getOutcome())
        .orElse(null);
  }

  private Incident awaitIncident(Duration deadline) {
    String[] id = new String[1];
    awaitUntil(
        "an incident is opened",
        deadline,
        () -> {
          Optional<CameraMonitor> monitor = system.monitor();
          String open =
              monitor
                  .map(
                      m ->
                          m.getStatus() == null || m.getStatus().getRecovery() == null
                              ? null
                              : m.getStatus().getRecovery().getIncident())
                  .orElse(null);
          id[0] = open;
          return open != null;
        });
    return incident(system.monitor().orElseThrow(), id[0])
        .orElseThrow(
            () -> new IllegalStateException("incident " + id[0] + " is not in status.incidents"));
  }

  private static Optional<Incident> incident(CameraMonitor monitor, String id) {
    return monitor.getStatus().getIncidents().stream()
        .filter(i -> id.equals(i.getId()))
        .findFirst();
  }

  private List<FakeTelegram.Message> reports(int from, String incidentId) {
    List<FakeTelegram.Message> all = system.telegram().delivered();
    return all.subList(Math.min(from, all.size()), all.size()).stream()
        .filter(m -> SandboxSystem.REPORT_CHAT_ID.equals(m.chatId()))
        .filter(m -> m.text().contains(incidentId))
        .toList();
  }

  /** The evidence ConfigMap named in the incident holds keys for it. */
  private boolean evidenceKept(Incident incident) {
    if (incident.getEvidence() == null) {
      return false;
    }
    String[] where = incident.getEvidence().split("/", 2);
    var configMap =
        system.client().configMaps().inNamespace(SandboxSystem.NAMESPACE).withName(where[0]).get();
    return configMap != null
        && configMap.getData() != null
        && configMap.getData().keySet().stream()
            .anyMatch(key -> where.length < 2 || key.startsWith(where[1]));
  }

  /**
   * The reasons of the Events about this CameraMonitor (by uid: not an earlier one of the same
   * name) since a time, found as kubectl describe finds them.
   */
  private List<String> eventReasons(Instant since) {
    String uid = system.monitor().map(m -> m.getMetadata().getUid()).orElse("");
    Instant from = since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return system
        .client()
        .v1()
        .events()
        .inNamespace(SandboxSystem.NAMESPACE)
        .withField("involvedObject.name", SandboxSystem.MONITOR)
        .withField("involvedObject.kind", "CameraMonitor")
        .list()
        .getItems()
        .stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
        .filter(e -> !eventTime(e).isBefore(from))
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }

  private static Instant eventTime(io.fabric8.kubernetes.api.model.Event event) {
    String time =
        event.getLastTimestamp() != null ? event.getLastTimestamp() : event.getFirstTimestamp();
    return time == null ? Instant.EPOCH : Instant.parse(time);
  }

  /** The open incident's id, or null. */
  private String openIncident() {
    return system
        .monitor()
        .map(
            m ->
                m.getStatus() == null || m.getStatus().getRecovery() == null
                    ? null
                    : m.getStatus().getRecovery().getIncident())
        .orElse(null);
  }

  private Optional<Job> finishedJob() {
    Predicate<Job> finished =
        job ->
            job.getStatus() != null
                && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream()
                    .anyMatch(
                        c ->
                            ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                                && "True".equals(c.getStatus()));
    return system
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(SandboxSystem.NAMESPACE)
        .list()
        .getItems()
        .stream()
        .filter(finished)
        .findFirst();
  }

  // ---- deadlines from the thresholds ----

  private Duration detectDeadline() {
    return detectDeadline(DEFAULT_LOG_STALE);
  }

  /** Frames or logs gone stale, whichever rule is slower for this scenario, plus checks. */
  private Duration detectDeadline(int logStaleSeconds) {
    int stale =
        logStaleSeconds < DEFAULT_LOG_STALE
            ? Math.max(logStaleSeconds, thresholds.frameStaleSeconds())
            : thresholds.frameStaleSeconds();
    return Duration.ofSeconds(stale + 4L * thresholds.checkIntervalSeconds() + 10);
  }

  /**
   * A stalled recorder: the operator's bound (no segment for 2 × segmentSeconds + 10 s, the
   * example's segments being the default 10 s) plus checks.
   */
  private Duration recordingDetectDeadline() {
    return Duration.ofSeconds(2L * 10 + 10 + 4L * thresholds.checkIntervalSeconds() + 10);
  }

  private Duration recoverDeadline() {
    return Duration.ofSeconds(
        2L * thresholds.recoveryGraceSeconds() + 4L * thresholds.checkIntervalSeconds() + 60);
  }

  private static Duration startupDeadline() {
    return Duration.ofSeconds(120);
  }

  private Duration reportDeadline() {
    return Duration.ofSeconds(60);
  }

  private void awaitUntil(String what, Duration deadline, Callable<Boolean> condition) {
    try {
      await(what)
          .pollInterval(POLL)
          .atMost(deadline)
          .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
          .until(condition);
    } catch (ConditionTimeoutException e) {
      throw new ConditionTimeoutException(
          "not within "
              + seconds(deadline)
              + ": "
              + what
              + "\n  now: "
              + io.homenvr.sandbox.console.LiveView.render(system).replace("\n", "\n  "));
    }
  }

  /** {@code condition} is true now and stays true for {@link #HOLDS}: no late duplicate. */
  private void awaitHolds(String what, Callable<Boolean> condition) {
    await(what)
        .pollInterval(POLL)
        .during(HOLDS)
        .atMost(HOLDS.plus(reportDeadline()))
        .ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(condition);
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("expected: " + what);
    }
  }

  private void step(String line) {
    out.println("[scenario] " + line);
  }

  static String seconds(Duration duration) {
    return "%.1f s".formatted(duration.toMillis() / 1000.0);
  }
}
