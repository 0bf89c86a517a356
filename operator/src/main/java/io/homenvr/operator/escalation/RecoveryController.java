package io.homenvr.operator.escalation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.aifix.AiFixJobs;
import io.homenvr.operator.aifix.ConfigOverrides;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.evidence.EvidenceStore;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.HealthAssessor;
import io.homenvr.operator.health.HealthObserver;
import io.homenvr.operator.health.Observation;
import io.homenvr.operator.health.PipelineEndpointResolver;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.mqtt.MqttReporter;
import io.homenvr.operator.notify.DeadMansSwitch;
import io.homenvr.operator.notify.Destinations;
import io.homenvr.operator.notify.NotificationExecutor;
import io.homenvr.operator.notify.NtfyClient;
import io.homenvr.operator.notify.ReportDelivery;
import io.homenvr.operator.notify.TelegramClient;
import io.homenvr.operator.notify.WebhookClient;
import io.homenvr.operator.reconciler.PipelineSupervisor;
import io.homenvr.operator.secrets.Redactor;
import io.homenvr.operator.secrets.SecretValues;
import io.homenvr.operator.status.StatusWriter;
import io.homenvr.operator.status.Supervision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health loop's controller, one round per reconciliation: assess the latest observation, let
 * the {@link EscalationLadder} decide, hand the reconciler the status that decision leads to (it
 * writes it, once), and only after that write hand the decided actions to the {@link
 * ActionExecutor} and the outbox to the {@link NotificationExecutor}. Everything it acts on comes
 * from status, so an operator restart resumes where it stopped without repeating an action.
 */
public class RecoveryController implements PipelineSupervisor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RecoveryController.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Duration DEAD_MANS_SWITCH_TIMEOUT = Duration.ofSeconds(5);

  /** How long a graceful stop waits for a report delivery in flight (its own timeout is 10 s). */
  private static final Duration NOTIFICATION_DRAIN = Duration.ofSeconds(12);

  /**
   * How long a restart waits for the evidence of its incident (thread dump, logs, heartbeat): a
   * wedged or stopped process never answers for its thread dump, and the restart must not wait for
   * that. The capture goes on and stores what it gets.
   */
  static final Duration EVIDENCE_HEAD_START = Duration.ofSeconds(2);

  private final HealthObserver observer;
  private final HealthAssessor assessor;
  private final EscalationLadder ladder;
  private final AiFixJobs aiFixJobs;
  private final SecretValues secrets;
  private final ActionExecutor actions;
  private final NotificationExecutor notifications;
  private final DeadMansSwitch deadMansSwitch;
  private final MqttReporter mqtt;
  private final LadderMetrics metrics;
  private final StatusWriter writer;
  private final Clock clock;
  private final ExecutorService evidenceThreads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "evidence");
            t.setDaemon(true);
            return t;
          });

  public RecoveryController(
      HealthObserver observer,
      HealthAssessor assessor,
      EscalationLadder ladder,
      AiFixJobs aiFixJobs,
      SecretValues secrets,
      ActionExecutor actions,
      NotificationExecutor notifications,
      DeadMansSwitch deadMansSwitch,
      MqttReporter mqtt,
      LadderMetrics metrics,
      StatusWriter writer,
      Clock clock) {
    this.observer = observer;
    this.assessor = assessor;
    this.ladder = ladder;
    this.aiFixJobs = aiFixJobs;
    this.secrets = secrets;
    this.actions = actions;
    this.notifications = notifications;
    this.deadMansSwitch = deadMansSwitch;
    this.mqtt = mqtt;
    this.metrics = metrics;
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * The production wiring: every collaborator on the JDK HTTP client, reaching pipelines through
   * {@code endpoints} and starting AI-fix Jobs from {@code aiFixImage} unless a spec names one.
   */
  public static RecoveryController create(
      KubernetesClient client,
      Clock clock,
      EventRecorder events,
      MeterRegistry registry,
      PipelineEndpointResolver endpoints,
      String aiFixImage,
      StatusWriter writer) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HealthObserver observer = new HealthObserver(client, http, endpoints, clock);
    AiFixJobs aiFixJobs = new AiFixJobs(client, aiFixImage);
    SecretValues secrets = new SecretValues(client);
    LadderMetrics metrics = new LadderMetrics(registry);
    return new RecoveryController(
        observer,
        new HealthAssessor(clock),
        new EscalationLadder(clock),
        aiFixJobs,
        secrets,
        new ActionExecutor(client, observer, new EvidenceStore(client), aiFixJobs, secrets, events),
        new NotificationExecutor(
            new ReportDelivery(
                new TelegramClient(http, Duration.ofSeconds(10)),
                new NtfyClient(http, Duration.ofSeconds(10)),
                new WebhookClient(http, Duration.ofSeconds(10)),
                clock),
            metrics::reportDelivered),
        new DeadMansSwitch(http, DEAD_MANS_SWITCH_TIMEOUT),
        new MqttReporter(secrets, MqttReporter.Timings.DEFAULTS),
        metrics,
        writer,
        clock);
  }

  @Override
  public List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context) {
    SimpleInboundEventSource<CameraMonitor> delivered =
        new SimpleInboundEventSource<>("report-outcomes");
    notifications.wakeWith(delivered::propagateEvent);
    List<EventSource<?, CameraMonitor>> sources =
        new ArrayList<>(observer.eventSources(context, this::forget));
    sources.add(delivered);
    return sources;
  }

  /** A deleted CameraMonitor's per-object memory goes with it. */
  private void forget(CameraMonitor monitor) {
    writer.forget(monitor);
    notifications.forget(monitor);
    deadMansSwitch.forget(key(monitor));
    mqtt.forget(monitor);
  }

  @Override
  public Judgement judge(
      CameraMonitor monitor, CameraMonitorStatus current, Context<CameraMonitor> context) {
    String uid = monitor.getMetadata().getUid();
    // an observation made for an object deleted since (same name, other uid) says nothing of this
    // one: its pipeline is not this object's
    Observation observation =
        context.getSecondaryResource(Observation.class).filter(o -> o.isFor(uid)).orElse(null);
    CameraMonitorStatus stored = JSON.clone(current);
    notifications.takeOutcomes(monitor, current);
    // judged by the thresholds the pipeline runs with: an AI fix's override may have changed them
    Assessment assessment =
        assessor.assess(
            observation, ConfigOverrides.effectiveSpec(monitor.getSpec(), current.getOverrides()));
    Transition transition =
        ladder.decide(new LadderInput(monitor, current, assessment, jobState(monitor, current)));
    ReportQueue.queue(transition, monitor, assessment, clock.instant());
    // a write for the state, the clock of the check once a minute, or an action (first the
    // state, then the action: a crash never repeats one)
    boolean worthWriting =
        transition.hasActions()
            || !transition.notices().isEmpty()
            || significant(stored, transition.status())
            || refreshDue(stored, transition.status());
    CameraMonitorStatus next = worthWriting ? transition.status() : current;
    Supervision supervision =
        HealthVerdicts.of(assessment, transition.status(), monitor.getSpec(), transition.phase());
    return new Judgement(
        next,
        supervision,
        () ->
            act(monitor, worthWriting ? transition : null, observation, next, transition.phase()));
  }

  /** After the status is stored: the decided actions, report delivery, the dead man's switch. */
  private void act(
      CameraMonitor monitor,
      Transition transition,
      Observation observation,
      CameraMonitorStatus stored,
      Phase phase) {
    if (transition != null) {
      record(transition);
      List<Future<?>> evidence = new ArrayList<>();
      for (Action action : transition.actions()) {
        if (action instanceof Action.CaptureEvidence) {
          evidence.add(
              evidenceThreads.submit(() -> actions.perform(monitor, action, observation, stored)));
        } else {
          if (action instanceof Action.RestartPipeline) {
            awaitEvidence(monitor, evidence);
          }
          actions.perform(monitor, action, observation, stored);
        }
      }
      transition.notices().forEach(notice -> actions.announce(monitor, notice));
    }
    String namespace = monitor.getMetadata().getNamespace();
    notifications.submit(
        monitor,
        stored,
        new Destinations(
            namespace,
            monitor.getMetadata().getName(),
            monitor.getSpec().getEscalation(),
            ref -> secrets.read(namespace, ref)),
        Redactor.shapesOnly());
    // its own thread per CameraMonitor: a broker down or slow never holds up this reconcile
    mqtt.report(monitor, stored, phase);
    String deadMans = monitor.getSpec().getEscalation().getDeadMansSwitchUrl();
    if (phase == Phase.Healthy && observation != null && deadMans != null && !deadMans.isBlank()) {
      // keyed by the check's time: reconciles that no health check triggered do not ping
      deadMansSwitch.ping(key(monitor), deadMans, observation.observedAt());
    }
  }

  /** Gives the evidence capture at most {@link #EVIDENCE_HEAD_START} before the restart. */
  private static void awaitEvidence(CameraMonitor monitor, List<Future<?>> evidence) {
    long deadline = System.nanoTime() + EVIDENCE_HEAD_START.toNanos();
    for (Future<?> capture : evidence) {
      try {
        capture.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException slow) {
        log.info(
            "{}/{}: evidence still being gathered after {} s; restarting without waiting longer",
            monitor.getMetadata().getNamespace(),
            monitor.getMetadata().getName(),
            EVIDENCE_HEAD_START.toSeconds());
      } catch (ExecutionException failed) {
        log.warn("evidence capture failed: {}", failed.getCause().toString());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the helper threads (the observer's threads stop with its event source). */
  @Override
  public void close() {
    deadMansSwitch.close();
    // after the controller stopped: what was delivered is stored, not sent again after a restart
    notifications.drain(writer, NOTIFICATION_DRAIN);
    notifications.close();
    mqtt.close();
    evidenceThreads.shutdownNow();
  }

  private AiFixJobState jobState(CameraMonitor monitor, CameraMonitorStatus status) {
    if (!Stage.AiFixRunning.name().equals(status.getRecovery().getStage())) {
      return null;
    }
    return status.getIncidents().stream()
        .filter(i -> i.getId().equals(status.getRecovery().getIncident()) && i.getAiFix() != null)
        .findFirst()
        .map(i -> aiFixJobs.state(monitor, i.getAiFix().getJob()))
        .orElse(AiFixJobState.ABSENT);
  }

  private void record(Transition transition) {
    for (Action action : transition.actions()) {
      if (action instanceof Action.RestartPipeline) {
        metrics.restart();
      }
    }
    if (transition.detectedAfter() != null) {
      metrics.detected(transition.detectedAfter());
      Incident opened = transition.status().getIncidents().get(0);
      opened.getProblems().forEach(p -> metrics.problem(p.getKind(), p.getCause().name()));
    }
    if (transition.recoveredAfter() != null) {
      metrics.recovered(transition.recoveredAfter());
    }
    if (transition.escalatedTo() != null) {
      metrics.escalation(transition.escalatedTo());
    }
  }

  /**
   * What per-object memory is kept under: namespace/name@uid, so that a CameraMonitor deleted and
   * re-created under the same name (another uid) starts fresh, and logs still name it.
   */
  static String key(CameraMonitor monitor) {
    return monitor.getMetadata().getNamespace()
        + "/"
        + monitor.getMetadata().getName()
        + "@"
        + monitor.getMetadata().getUid();
  }

  /**
   * The check's clock and each camera's frame times are written at least this often even when
   * nothing else changed, so {@code kubectl describe} never shows a stale "Streaming": with nothing
   * changing that is one status write per minute per CameraMonitor (a server-side apply of the
   * ladder's fields), on top of the writes that state changes make.
   */
  static final Duration STATUS_REFRESH = Duration.ofMinutes(1);

  private static boolean refreshDue(CameraMonitorStatus before, CameraMonitorStatus after) {
    Instant written = Times.parse(before.getLastCheckTime());
    Instant checked = Times.parse(after.getLastCheckTime());
    return checked != null && (written == null || !checked.isBefore(written.plus(STATUS_REFRESH)));
  }

  /** Only state worth a write: not the clock of the check, a camera's fps or newest segment. */
  private static boolean significant(CameraMonitorStatus before, CameraMonitorStatus after) {
    return !Objects.equals(JSON.asJson(before.getRecovery()), JSON.asJson(after.getRecovery()))
        || !Objects.equals(JSON.asJson(before.getIncidents()), JSON.asJson(after.getIncidents()))
        || !Objects.equals(JSON.asJson(before.getOutbox()), JSON.asJson(after.getOutbox()))
        || !Objects.equals(JSON.asJson(before.getAiFix()), JSON.asJson(after.getAiFix()))
        || !Objects.equals(JSON.asJson(before.getOverrides()), JSON.asJson(after.getOverrides()))
        || !Objects.equals(before.getLastDigestTime(), after.getLastDigestTime())
        || !Objects.equals(before.getHealthyCameras(), after.getHealthyCameras())
        || !Objects.equals(before.getCameraCount(), after.getCameraCount())
        || !Objects.equals(cameraStates(before), cameraStates(after));
  }

  private static List<String> cameraStates(CameraMonitorStatus status) {
    return status.getCameras().stream()
        .map(
            c ->
                c.getName()
                    + "="
                    + c.getState()
                    + (c.getRecording() == null ? "" : "/" + c.getRecording().getState()))
        .toList();
  }
}
