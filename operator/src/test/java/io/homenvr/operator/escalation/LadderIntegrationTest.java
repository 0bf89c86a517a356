package io.homenvr.operator.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.StandInTelegram;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.evidence.EvidenceStore;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.reconciler.CameraMonitorReconciler;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.homenvr.testing.StandInKubelet;
import io.homenvr.testing.StandInPipeline;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ladder end to end against the mock API server: the real reconciler with {@link
 * RecoveryController}, a stand-in pipeline and Telegram on loopback, and a fake kubelet that
 * replaces deleted pods. Thresholds are short (check 1 s, stale 3 s, grace 2 s).
 */
class LadderIntegrationTest {
  private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  private static final String API_KEY = "sk-ant-api03-integration-not-real-0123456789";
  private static final String GIT_TOKEN = "ghp_IntegrationNotRealToken0123456789";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String FIX_IMAGE = "homenvr-pipeline:fix-abc123";

  private TestCluster cluster;
  private String ns;
  private KubernetesClient client;
  private StandInPipeline pipeline;
  private StandInTelegram telegram;
  private StandInKubelet kubelet;
  private Operator operator;
  private RecoveryController ladder;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start();
    client = cluster.client();
    ns = cluster.namespace("ladder");
    pipeline = new StandInPipeline();
    telegram = new StandInTelegram(TOKEN);
    cluster.createSecret(ns, "telegram", Map.of("token", TOKEN));
    cluster.createSecret(ns, "anthropic", Map.of("apiKey", API_KEY));
    cluster.createSecret(ns, "git", Map.of("token", GIT_TOKEN));
    operator = startOperator();
  }

  @AfterEach
  void stop() {
    operator.stop();
    ladder.close();
    if (kubelet != null) {
      kubelet.close();
    }
    pipeline.close();
    telegram.close();
    cluster.close();
  }

  private Operator startOperator() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    Clock clock = Clock.systemUTC();
    EventRecorder events = new EventRecorder(client, clock, metrics, "test");
    if (ladder != null) {
      ladder.close();
    }
    StatusWriter writer = new StatusWriter(client, registry);
    ladder =
        RecoveryController.create(
            client,
            clock,
            events,
            registry,
            monitor -> pipeline.baseUrl(),
            "homenvr-aifix:test",
            writer);
    return TestCluster.startOperator(
        client,
        new CameraMonitorReconciler(
            new PipelineDefaults(TestCluster.PIPELINE_IMAGE),
            new StatusAggregator(clock),
            writer,
            events,
            metrics,
            Optional.of(ladder)),
        ns);
  }

  private CameraMonitor deploy(Consumer<CameraMonitor> tune) {
    CameraMonitor monitor = Monitors.withTelegram(Monitors.monitor("gate"), telegram.apiBaseUrl());
    monitor.getMetadata().setNamespace(ns);
    monitor.getMetadata().setGeneration(null);
    monitor.getSpec().getHealth().setCheckIntervalSeconds(1);
    monitor.getSpec().getHealth().setFrameStaleSeconds(3);
    monitor.getSpec().getHealth().setLogStaleSeconds(3600);
    monitor.getSpec().getRecovery().setRecoveryGraceSeconds(2);
    monitor.getSpec().getRecovery().setBackoffSeconds(1);
    tune.accept(monitor);
    CameraMonitor created = cluster.create(monitor);
    kubelet =
        new StandInKubelet(client, ns, CameraMonitorResources.selectorLabels(created), pipeline);
    await().atMost(DEADLINE).until(() -> "Healthy".equals(phase()));
    return created;
  }

  private CameraMonitor withAiFix(CameraMonitor monitor) {
    Monitors.withAiFix(monitor);
    monitor.getSpec().getEscalation().getAiFix().setVerifySeconds(30);
    monitor.getSpec().getEscalation().getAiFix().setTimeoutSeconds(120);
    // FIX_IMAGE for commit abc123
    monitor.getSpec().getEscalation().getAiFix().setImageTemplate("homenvr-pipeline:fix-{commit}");
    monitor.getSpec().getEscalation().getAiFix().getConfigFixes().setVerifySeconds(30);
    return monitor;
  }

  private CameraMonitorStatus status() {
    CameraMonitor monitor =
        client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
    return monitor.getStatus() == null ? new CameraMonitorStatus() : monitor.getStatus();
  }

  private String phase() {
    return status().getPhase() == null ? null : status().getPhase().name();
  }

  private Incident incident() {
    return status().getIncidents().get(0);
  }

  private String stage() {
    return status().getRecovery().getStage();
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void frozenFramesAreKeptAsEvidenceRestartedOnceAndReportedFixed() {
    deploy(m -> m.getSpec().getRecovery().setMaxRestarts(2));
    Instant frozen = Instant.now();
    pipeline.freeze();

    await().atMost(DEADLINE).until(() -> kubelet.deletions().size() == 1);
    Duration toRestart = Duration.between(frozen, kubelet.deletions().get(0));
    System.out.printf(
        "silent stall (frameStale 3 s, check 1 s): first restart after %d ms%n",
        toRestart.toMillis());
    assertThat(toRestart).isLessThan(Duration.ofSeconds(3 + 1 + 2));

    String id = incident().getId();
    ConfigMap evidence = client.configMaps().inNamespace(ns).withName("home-evidence").get();
    assertThat(evidence.getData())
        .containsKeys(
            EvidenceStore.logsKey(id), EvidenceStore.statusKey(id), EvidenceStore.threadsKey(id));
    assertThat(evidence.getData().get(EvidenceStore.statusKey(id)))
        .contains("\"schemaVersion\":1", "\"framesTotal\"");
    assertThat(evidence.getData().get(EvidenceStore.threadsKey(id))).contains("camera-gate");
    assertThat(evidence.getMetadata().getOwnerReferences())
        .extracting("kind")
        .containsExactly("CameraMonitor");

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                "FixedByRestart".equals(incident().getOutcome())
                    && telegram.delivered().size() == 1);
    assertThat(telegram.delivered().get(0)).contains("fixed by restart", "Incident " + id);
    assertThat(status().getRecovery().getRestarts()).isZero();
    assertThat(events("RestartingPipeline"))
        .hasSize(1)
        .allMatch(e -> "Warning".equals(e.getType()));
    assertThat(events("FixedByRestart")).hasSize(1);

    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                kubelet.deletions().size() == 1
                    && telegram.delivered().size() == 1
                    && status().getOutbox().isEmpty());
  }

  @Test
  void exhaustedRestartsStartTheAiFixJobAndAFixThatHoldsClosesTheIncident() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    kubelet.restartHeals(false);
    pipeline.freeze();

    Job job = awaitJob();
    String id = incident().getId();
    assertThat(job.getMetadata().getName()).isEqualTo("home-aifix-" + id);
    var spec = job.getSpec();
    var pod = spec.getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(spec.getBackoffLimit()).isZero();
    assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(120L);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(container.getEnv())
        .anyMatch(
            e -> e.getName().equals("AIFIX_BRANCH") && e.getValue().equals("homenvr/fix-" + id));
    assertThat(container.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("ANTHROPIC_API_KEY")
                    && e.getValueFrom().getSecretKeyRef().getName().equals("anthropic")
                    && e.getValue() == null);
    assertThat(container.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("GIT_TOKEN")
                    && e.getValueFrom().getSecretKeyRef().getName().equals("git"));
    assertThat(job.getMetadata().getOwnerReferences()).extracting("name").containsExactly("home");
    String prompt =
        client
            .configMaps()
            .inNamespace(ns)
            .withName(job.getMetadata().getName() + "-prompt")
            .get()
            .getData()
            .get("prompt.md");
    assertThat(prompt)
        .contains("FramesStale", "untrusted", "camera-gate")
        .doesNotContain(TOKEN, API_KEY, GIT_TOKEN);
    assertThat(kubelet.deletions()).hasSize(1);
    assertThat(
            client
                .pods()
                .inNamespace(ns)
                .withLabel("job-name", job.getMetadata().getName())
                .list()
                .getItems())
        .as("the AI-fix pod, admitted by Pod Security restricted")
        .hasSize(1);

    kubelet.restartHeals(true);
    endJob(
        job,
        "{\"outcome\":\"fixed\",\"summary\":\"The reader is closed by its own thread now.\",\"commit\":\"abc123\",\"branch\":\"homenvr/fix-"
            + id
            + "\"}",
        true);

    await().atMost(DEADLINE).until(() -> "VerifyingFix".equals(stage()));
    await().atMost(DEADLINE).until(() -> FIX_IMAGE.equals(deploymentImage()));
    await().atMost(Duration.ofSeconds(60)).until(() -> "FixedByAi".equals(incident().getOutcome()));
    assertThat(incident().getAiFix().getOutcome()).isEqualTo("held");
    assertThat(kubelet.deletions())
        .as("one restart, then the roll-out of the template's image")
        .hasSize(2);
    assertThat(status().getAiFix().getFixedFingerprints())
        .containsExactly(incident().getFingerprint());
    await().atMost(DEADLINE).until(() -> telegram.delivered().size() == 2);
    assertThat(telegram.delivered().get(0)).contains("AI fix applied", "own thread", "abc123");
    assertThat(telegram.delivered().get(1))
        .contains("AI fix held", "set spec.pipeline.image to " + FIX_IMAGE);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);
  }

  @Test
  void aFixWithAnImageRunsFromStatusOverridesUntilTheRevertAnnotationAndTheSpecStaysTheUsers() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    Long generation = monitor().getMetadata().getGeneration();
    String id = fixWithImage();

    await().atMost(DEADLINE).until(() -> FIX_IMAGE.equals(deploymentImage()));
    Overrides overrides = status().getOverrides();
    assertThat(overrides.getPipelineImage()).isEqualTo(FIX_IMAGE);
    assertThat(overrides.getSpecImage()).isNull();
    assertThat(overrides.getIncident()).isEqualTo(id);
    assertThat(overrides.getReason()).contains(id, "home-aifix-" + id, "abc123");
    assertThat(overrides.getAppliedAt()).isNotNull();
    assertThat(monitor().getSpec().getPipeline().getImage()).as("the user's spec").isNull();
    assertThat(monitor().getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(events("OverrideApplied"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains(FIX_IMAGE, id, "annotate cammon home homenvr.io/revert-override=true");

    // as `kubectl annotate cammon home homenvr.io/revert-override=true` does
    client
        .resources(CameraMonitor.class)
        .inNamespace(ns)
        .withName("home")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"homenvr.io/revert-override\":\"true\"}}}");

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                TestCluster.PIPELINE_IMAGE.equals(deploymentImage())
                    && status().getOverrides() == null
                    && !annotations().containsKey("homenvr.io/revert-override"));
    assertThat(events("OverrideReverted"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains(FIX_IMAGE, "revert-override");
    assertThat(monitor().getSpec().getPipeline().getImage()).isNull();
    assertThat(monitor().getMetadata().getGeneration()).isEqualTo(generation);
  }

  @Test
  void aUserChangingTheSpecImageAfterAnAiFixOverrideWins() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    fixWithImage();
    await().atMost(DEADLINE).until(() -> FIX_IMAGE.equals(deploymentImage()));

    cluster.editMonitor(
        ns, "home", m -> m.getSpec().getPipeline().setImage("homenvr-pipeline:mine"));

    await()
        .atMost(DEADLINE)
        .until(
            () ->
                "homenvr-pipeline:mine".equals(deploymentImage())
                    && status().getOverrides() == null);
    assertThat(events("OverrideReverted"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("homenvr-pipeline:mine", FIX_IMAGE, "the spec's image wins");
    assertThat(monitor().getSpec().getPipeline().getImage()).isEqualTo("homenvr-pipeline:mine");
  }

  /** The agent's answer for a configuration cause: detect gate at 3 fps instead of 5. */
  private static final String CONFIG_FIX =
      """
      {"outcome":"no-fix","summary":"The CPU cannot decode 5 fps.",
       "agent":{"isError":false,"subtype":"success","turns":6,"costUsd":0.31},
       "diagnosis":{"cause":"decoding 5 fps saturates the CPU","evidence":["cpu 1980m"],"confidence":"high"},
       "proposal":{"type":"config","field":"camera.detect.fps","camera":"gate","value":3,
                   "reason":"fewer frames to decode"}}
      """;

  private String renderedConfig() {
    ConfigMap config = client.configMaps().inNamespace(ns).withName("home-pipeline").get();
    return config == null ? "" : config.getData().get(CameraMonitorResources.CONFIG_KEY);
  }

  /** Drives an incident to an AI-fix Job that answers with {@link #CONFIG_FIX}; its incident. */
  private String configFix(boolean helps) {
    kubelet.restartHeals(false);
    pipeline.freeze();
    Job job = awaitJob();
    String id = incident().getId();
    kubelet.restartHeals(helps);
    endJob(job, CONFIG_FIX, true);
    return id;
  }

  @Test
  void anAcceptedConfigFixIsRenderedVerifiedKeptAndReportedWithThePermanentChange() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    Long generation = monitor().getMetadata().getGeneration();
    assertThat(renderedConfig()).contains("fps: 5");
    String id = configFix(true);

    await().atMost(DEADLINE).until(() -> renderedConfig().contains("fps: 3"));
    assertThat(status().getOverrides().getConfig().getIncident()).isEqualTo(id);
    assertThat(monitor().getSpec().getCameras().get(0).getDetect().getFps())
        .as("the user's spec")
        .isEqualTo(5);
    assertThat(monitor().getMetadata().getGeneration()).isEqualTo(generation);
    await().atMost(Duration.ofSeconds(60)).until(() -> "FixedByAi".equals(incident().getOutcome()));
    assertThat(kubelet.deletions())
        .as("one restart, then the roll-out of the new configuration")
        .hasSize(2);
    assertThat(status().getOverrides().getConfig().getVerified()).isTrue();
    assertThat(renderedConfig()).as("kept").contains("fps: 3");
    assertThat(incident().getAiFix().getDiagnosis().getCause())
        .isEqualTo("decoding 5 fps saturates the CPU");
    assertThat(incident().getAiFix().getProposal().getVerdict()).isEqualTo("Kept");
    assertThat(events("ConfigFixApplied")).hasSize(1);
    assertThat(events("AiFixDiagnosis")).hasSize(1);
    assertThat(events("AiFixHeld"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("set spec.cameras[name=gate].detect.fps to 3 (was 5)");
    await().atMost(DEADLINE).until(() -> telegram.delivered().size() == 2);
    assertThat(telegram.delivered().get(0))
        .contains("AI configuration fix applied", "detect.fps to 3 (was 5)");
    assertThat(telegram.delivered().get(1))
        .contains(
            "To make it permanent, in your CameraMonitor spec: set"
                + " spec.cameras[name=gate].detect.fps to 3 (was 5)");
    assertThat(monitor().getSpec().getCameras().get(0).getDetect().getFps()).isEqualTo(5);
  }

  @Test
  void aConfigOverrideThatDoesNotHelpIsRevertedAndAHumanIsTold() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    configFix(false);

    await().atMost(DEADLINE).until(() -> renderedConfig().contains("fps: 3"));
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                "NeedsHuman".equals(stage())
                    && status().getOverrides() == null
                    && renderedConfig().contains("fps: 5"));
    assertThat(incident().getAiFix().getOutcome()).isEqualTo("did-not-hold");
    assertThat(incident().getAiFix().getProposal().getVerdict()).isEqualTo("Reverted");
    assertThat(events("ConfigFixReverted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    await()
        .atMost(DEADLINE)
        .until(() -> telegram.delivered().stream().anyMatch(t -> t.contains("needs a human")));
    assertThat(telegram.delivered())
        .filteredOn(t -> t.contains("needs a human"))
        .singleElement()
        .asString()
        .contains(
            "reverted the configuration change",
            "decoding 5 fps saturates the CPU",
            "kubectl -n " + ns + " logs job/home-aifix-");
    assertThat(monitor().getSpec().getCameras().get(0).getDetect().getFps()).isEqualTo(5);
  }

  /** Drives an incident to an AI fix that reports an image; returns the incident's id. */
  private String fixWithImage() {
    kubelet.restartHeals(false);
    pipeline.freeze();
    Job job = awaitJob();
    String id = incident().getId();
    kubelet.restartHeals(true);
    endJob(
        job,
        "{\"outcome\":\"fixed\",\"summary\":\"Fixed.\",\"commit\":\"abc123\",\"image\":\""
            + FIX_IMAGE
            + "\"}",
        true);
    return id;
  }

  private CameraMonitor monitor() {
    return client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
  }

  private Map<String, String> annotations() {
    Map<String, String> annotations = monitor().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private String deploymentImage() {
    Deployment deployment =
        client.apps().deployments().inNamespace(ns).withName("home-pipeline").get();
    return deployment == null
        ? null
        : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  @Test
  void anAiFixWithoutAFixGoesToAHuman() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    kubelet.restartHeals(false);
    pipeline.freeze();
    Job job = awaitJob();

    endJob(job, "{\"outcome\":\"no-fix\",\"summary\":\"Could not find the cause.\"}", true);

    await()
        .atMost(DEADLINE)
        .until(() -> "NeedsAttention".equals(phase()) && telegram.delivered().size() == 1);
    assertThat(incident().getAiFix().getOutcome()).isEqualTo("no-fix");
    assertThat(telegram.delivered().get(0))
        .contains(
            "needs a human",
            "no-fix",
            "Could not find the cause.",
            "kubectl -n " + ns + " describe cammon home",
            "kubectl -n " + ns + " logs deploy/home-pipeline",
            "kubectl -n " + ns + " get cm home-evidence -o yaml");
  }

  @Test
  void anAiFixJobPastItsDeadlineGoesToAHuman() {
    deploy(m -> withAiFix(m).getSpec().getRecovery().setMaxRestarts(1));
    kubelet.restartHeals(false);
    pipeline.freeze();
    Job job = awaitJob();

    // the real Job controller enforces the deadline: shortened, so the test need not wait 120 s
    // (a merge patch carries no resourceVersion, so the Job controller's own writes cannot make
    // it conflict)
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(job.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"activeDeadlineSeconds\":1}}");

    await()
        .atMost(DEADLINE)
        .until(() -> "NeedsHuman".equals(stage()) && telegram.delivered().size() == 1);
    assertThat(incident().getAiFix().getOutcome()).isEqualTo("error");
    assertThat(telegram.delivered().get(0)).contains("deadline");
    assertThat(kubelet.deletions()).hasSize(1);
  }

  @Test
  void reportsQueuedWhileTelegramIsDownArriveExactlyOnceWhenItIsBack() {
    telegram.mode(StandInTelegram.Mode.DOWN);
    deploy(m -> m.getSpec().getRecovery().setMaxRestarts(1));
    kubelet.restartHeals(false);
    pipeline.freeze();
    await().atMost(DEADLINE).until(() -> "NeedsHuman".equals(stage()));
    pipeline.restarted();
    // both reports queued, and each tried at least once (the second is tried by the delivery
    // executor after the status that queued it was written: await it, don't assume it)
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                "Healthy".equals(phase())
                    && status().getOutbox().size() == 2
                    && status().getOutbox().stream().allMatch(r -> r.getAttempts() >= 1));
    assertThat(status().getOutbox())
        .allMatch(r -> r.getAttempts() >= 1 && r.getLastError().contains("HTTP 500"));
    assertThat(telegram.refused()).isPositive();

    telegram.mode(StandInTelegram.Mode.THROTTLE);
    int refusedBefore = telegram.refused();
    await().atMost(DEADLINE).until(() -> telegram.refused() > refusedBefore);
    telegram.mode(StandInTelegram.Mode.OK);

    await()
        .atMost(DEADLINE)
        .until(() -> telegram.delivered().size() == 2 && status().getOutbox().isEmpty());
    assertThat(telegram.delivered().get(0)).contains("needs a human");
    assertThat(telegram.delivered().get(1)).contains("healthy again");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> telegram.delivered().size() == 2);
  }

  @Test
  void anOperatorRestartedMidLadderRepeatsNoRestartJobOrReport() {
    deploy(m -> m.getSpec().getRecovery().setMaxRestarts(2));
    kubelet.restartHeals(false);
    pipeline.freeze();
    await().atMost(DEADLINE).until(() -> kubelet.deletions().size() == 1);

    operator.stop();
    operator = startOperator();

    await()
        .atMost(DEADLINE)
        .until(() -> "NeedsHuman".equals(stage()) && telegram.delivered().size() == 1);
    assertThat(kubelet.deletions()).hasSize(2);
    assertThat(incident().getRestarts()).isEqualTo(2);
    operator.stop();
    operator = startOperator();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(8))
        .until(
            () ->
                kubelet.deletions().size() == 2
                    && telegram.delivered().size() == 1
                    && status().getIncidents().size() == 1);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void anUnreachableHeartbeatIsRestarted() {
    deploy(m -> m.getSpec().getRecovery().setMaxRestarts(2));
    Instant silenced = Instant.now();
    pipeline.close();

    await().atMost(DEADLINE).until(() -> kubelet.deletions().size() == 1);
    Duration toRestart = Duration.between(silenced, kubelet.deletions().get(0));
    System.out.printf(
        "unreachable heartbeat (check 1 s): first restart after %d ms%n", toRestart.toMillis());
    assertThat(incident().getProblems()).extracting("kind").contains("HeartbeatUnreachable");
  }

  @Test
  void aHealthyPipelinePingsTheDeadMansSwitchAndSendsTheDailyDigestABrokenOneDoesNot()
      throws IOException {
    AtomicInteger pings = new AtomicInteger();
    HttpServer pingService =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pingService.createContext(
        "/ping/",
        exchange -> {
          pings.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    pingService.start();
    try {
      String url = "http://127.0.0.1:" + pingService.getAddress().getPort() + "/ping/c0ffee";
      deploy(
          m -> {
            m.getSpec().getEscalation().setDeadMansSwitchUrl(url);
            m.getSpec().getEscalation().setDailyDigest(true);
            m.getSpec().getRecovery().setMaxRestarts(1);
          });
      await().atMost(DEADLINE).until(() -> pings.get() >= 2 && telegram.delivered().size() == 1);
      assertThat(telegram.delivered().get(0)).contains("all nominal", "1 of 1 streaming", "gate");
      assertThat(status().getLastDigestTime()).isNotNull();

      kubelet.restartHeals(false);
      pipeline.freeze();
      await().atMost(DEADLINE).until(() -> "NeedsHuman".equals(stage()));
      int whileBroken = pings.get();
      long checks = pipeline.heartbeats();
      await().atMost(DEADLINE).until(() -> pipeline.heartbeats() >= checks + 3);
      assertThat(pings.get())
          .as("no ping in three checks of a broken pipeline")
          .isEqualTo(whileBroken);

      pipeline.restarted();
      await().atMost(DEADLINE).until(() -> "Healthy".equals(phase()) && pings.get() > whileBroken);
      assertThat(telegram.delivered())
          .as("the digest is daily: not again after the incident")
          .filteredOn(text -> text.contains("all nominal"))
          .hasSize(1);
    } finally {
      pingService.stop(0);
    }
  }

  private Job awaitJob() {
    await()
        .atMost(DEADLINE)
        .until(() -> !client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().get(0);
  }

  /**
   * The AI-fix Job's container ends: the stand-in kubelet reports its pod finished with the
   * termination message, and the real Job controller marks the Job Complete or Failed.
   */
  private void endJob(Job job, String terminationMessage, boolean succeeded) {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                !client
                    .pods()
                    .inNamespace(ns)
                    .withLabel("job-name", job.getMetadata().getName())
                    .list()
                    .getItems()
                    .isEmpty());
    StandInKubelet.finishJobPod(
        client, ns, job.getMetadata().getName(), succeeded ? 0 : 1, terminationMessage);
  }
}
