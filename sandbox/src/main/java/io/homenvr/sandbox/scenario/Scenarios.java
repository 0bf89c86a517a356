package io.homenvr.sandbox.scenario;

import static org.awaitility.Awaitility.await;

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
          "spinning-pipeline",
          "camera-down",
          "ollama-down",
          "telegram-outage",
          "operator-restart",
          "ai-fix",
          "ai-no-fix");

  private static final Duration POLL = Duration.ofMillis(200);

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
        case "wedged-pipeline" -> pipelineFault(name, system::wedgePipeline);
        case "spinning-pipeline" -> pipelineFault(name, system::spinPipeline);
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
    system.deleteMonitor();
    Thresholds used =
        new Thresholds(
            thresholds.checkIntervalSeconds(),
            thresholds.frameStaleSeconds(),
            thresholds.recoveryGraceSeconds(),
            maxRestarts);
    system.apply(system.exampleMonitor(used, aiFix));
    step("applied cammon/" + SandboxSystem.MONITOR + ", waiting for it to be Healthy");
    awaitUntil("the CameraMonitor is Healthy", startupDeadline(), this::healthy);
    // faults hit a settled pipeline, as in life: past its start-up CPU burst, healthy a while
    Instant[] healthySince = {Instant.now()};
    awaitUntil(
        "the pipeline has settled (Healthy for two checks, CPU below 300m)",
        startupDeadline(),
        () -> {
          if (!healthy()) {
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

  private ScenarioResult pipelineFault(String name, Callable<String> fault) throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    String podBefore = system.pipelinePod().orElseThrow().getMetadata().getName();
    int messagesBefore = system.telegram().delivered().size();
    Instant faultAt = Instant.now();
    step(fault.call());
    Incident incident = awaitIncident(detectDeadline());
    Duration detect = Duration.between(faultAt, Instant.now());
    step("detected in " + seconds(detect) + ": " + incident.getProblems());
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
    check(
        reports(messagesBefore, incident.getId()).size() == 1,
        "exactly one report for " + incident.getId());
    List<String> reasons = eventReasons();
    check(
        reasons.contains("RestartingPipeline") && reasons.contains("FixedByRestart"),
        "Events RestartingPipeline and FixedByRestart on cammon/"
            + SandboxSystem.MONITOR
            + ": "
            + reasons);
    return ScenarioResult.passed(
        name,
        "restarted " + podBefore + " -> " + podAfter + ", one report",
        detect,
        restore,
        recover);
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

  private ScenarioResult telegramOutage() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    int messagesBefore = system.telegram().delivered().size();
    system.telegram().mode(FakeTelegram.Mode.RATE_LIMITED);
    step("Telegram answers 429 with retry_after");
    Instant faultAt = Instant.now();
    system.wedgePipeline();
    Incident incident = awaitIncident(detectDeadline());
    awaitUntil("healthy after the restart", recoverDeadline(), () -> closed(incident.getId()));
    awaitUntil(
        "the report was refused at least once",
        reportDeadline(),
        () -> system.telegram().rejected() > 0);
    check(
        reports(messagesBefore, incident.getId()).isEmpty(), "nothing delivered during the outage");
    system.telegram().mode(FakeTelegram.Mode.SERVER_ERROR);
    step("Telegram answers 500");
    int rejected = system.telegram().rejected();
    awaitUntil(
        "the report was retried against the 500",
        reportDeadline(),
        () -> system.telegram().rejected() > rejected);
    system.telegram().mode(FakeTelegram.Mode.OK);
    step("Telegram is back");
    awaitUntil(
        "the report was delivered after the outage",
        reportDeadline(),
        () -> reports(messagesBefore, incident.getId()).size() == 1);
    Duration recover = Duration.between(faultAt, Instant.now());
    check(reports(messagesBefore, incident.getId()).size() == 1, "delivered exactly once");
    return ScenarioResult.passed(
        "telegram-outage", "report delivered once after 429 and 500", null, recover);
  }

  private ScenarioResult operatorRestart() throws Exception {
    freshHealthyMonitor(false, thresholds.maxRestarts());
    int messagesBefore = system.telegram().delivered().size();
    Instant faultAt = Instant.now();
    system.wedgePipeline();
    Incident incident = awaitIncident(detectDeadline());
    Duration detect = Duration.between(faultAt, Instant.now());
    awaitUntil("the first restart is recorded", recoverDeadline(), () -> restarts() >= 1);
    system.operator().kill();
    step("operator killed mid-ladder (SIGKILL)");
    system.operator().start();
    step("operator started again");
    awaitUntil(
        "Healthy again", recoverDeadline().plus(startupDeadline()), () -> closed(incident.getId()));
    Duration recover = Duration.between(faultAt, Instant.now());
    Incident closed = incident(system.monitor().orElseThrow(), incident.getId()).orElseThrow();
    // no duplicate: no pod replaced without a restart written down first, though the operator
    // died mid-ladder (a restart written down but not done before the kill is not repeated)
    long podsStarted = system.kubelet().podsStartedSince(SandboxSystem.NAMESPACE, faultAt);
    check(
        podsStarted >= 1 && podsStarted <= closed.getRestarts(),
        "pods replaced ("
            + podsStarted
            + ") at most the restarts recorded ("
            + closed.getRestarts()
            + ")");
    awaitUntil(
        "the report reached Telegram",
        reportDeadline(),
        () -> reports(messagesBefore, incident.getId()).size() >= 1);
    check(reports(messagesBefore, incident.getId()).size() == 1, "no duplicate report");
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
        "operator killed after restart 1 was written; %d restart(s) recorded, %d pod(s) replaced, one report"
            .formatted(closed.getRestarts(), podsStarted),
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
      system.stopPersistentWedge();
      step("the 'fix' holds: new pipeline processes are left alone");
      awaitUntil("outcome FixedByAi", ladder, () -> "FixedByAi".equals(outcome(incident.getId())));
      awaitUntil("Healthy", recoverDeadline(), () -> closed(incident.getId()));
    } else {
      awaitUntil("phase NeedsAttention", ladder, () -> phase() == Phase.NeedsAttention);
      awaitUntil(
          "a 'needs a human' report",
          reportDeadline(),
          () ->
              reports(messagesBefore, incident.getId()).stream()
                  .anyMatch(m -> m.text().contains("needs a human")));
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

  private boolean healthy() {
    return system
            .monitor()
            .map(m -> m.getStatus() != null && m.getStatus().getPhase() == Phase.Healthy)
            .orElse(false)
        && system.pipelinePod().isPresent();
  }

  /** Another pod than the wedged one serves /status with every camera streaming. */
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
        .filter(m -> !m.photo() && m.text().contains(incidentId))
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

  /** The reasons of the CameraMonitor's Events, found as kubectl describe finds them. */
  private List<String> eventReasons() {
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
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
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
    return Duration.ofSeconds(
        thresholds.frameStaleSeconds() + 4L * thresholds.checkIntervalSeconds() + 10);
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
