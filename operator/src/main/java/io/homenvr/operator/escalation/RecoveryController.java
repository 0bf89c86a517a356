package io.homenvr.operator.escalation;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.aifix.AiFixJobState;
import io.homenvr.operator.aifix.AiFixJobs;
import io.homenvr.operator.aifix.PromptBuilder;
import io.homenvr.operator.dependent.CameraMonitorResources;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.evidence.EvidenceStore;
import io.homenvr.operator.evidence.Redactor;
import io.homenvr.operator.evidence.SecretValues;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.health.HealthAssessor;
import io.homenvr.operator.health.HealthObserver;
import io.homenvr.operator.health.Observation;
import io.homenvr.operator.health.PipelineEndpointResolver;
import io.homenvr.operator.health.Times;
import io.homenvr.operator.notify.DeadMansSwitch;
import io.homenvr.operator.notify.ReportDelivery;
import io.homenvr.operator.notify.TelegramClient;
import io.homenvr.operator.reconciler.PipelineSupervisor;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.Supervision;
import io.homenvr.operator.status.Verdict;
import io.homenvr.operator.status.WorkloadState;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health loop behind the reconciler: assess the latest observation, let the ladder decide,
 * write the ladder's state to status first, then act, then deliver reports. Everything it acts on
 * comes from status, so an operator restart resumes where it stopped without repeating an action.
 */
public class HealthLadder implements PipelineSupervisor, AutoCloseable {
  /** The field manager of the status fields the ladder owns (server-side apply). */
  public static final String FIELD_MANAGER = "homenvr-ladder";

  private static final Logger log = LoggerFactory.getLogger(HealthLadder.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Duration DEAD_MANS_SWITCH_TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final HealthObserver observer;
  private final HealthAssessor assessor;
  private final EscalationLadder ladder;
  private final EvidenceStore evidence;
  private final AiFixJobs aiFixJobs;
  private final SecretValues secrets;
  private final ReportDelivery delivery;
  private final DeadMansSwitch deadMansSwitch;
  private final EventRecorder events;
  private final LadderMetrics metrics;
  private final StatusAggregator headlines;

  /**
   * Ladder state this operator last wrote, for as long as the cache shows an older copy of it; per
   * CameraMonitor object ({@link #key}: its uid), so one re-created under the same name starts
   * fresh.
   */
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  /**
   * @param versions the resourceVersion the first of a run of writes replaced and every version
   *     those writes produced: a cache at any of them knows less than (or as much as) {@code
   *     status}
   * @param latest the version the last write produced
   */
  private record Written(Set<String> versions, String latest, CameraMonitorStatus status) {}

  public HealthLadder(
      KubernetesClient client,
      HealthObserver observer,
      HealthAssessor assessor,
      EscalationLadder ladder,
      EvidenceStore evidence,
      AiFixJobs aiFixJobs,
      SecretValues secrets,
      ReportDelivery delivery,
      DeadMansSwitch deadMansSwitch,
      EventRecorder events,
      LadderMetrics metrics,
      Clock clock) {
    this.client = client;
    this.observer = observer;
    this.assessor = assessor;
    this.ladder = ladder;
    this.evidence = evidence;
    this.aiFixJobs = aiFixJobs;
    this.secrets = secrets;
    this.delivery = delivery;
    this.deadMansSwitch = deadMansSwitch;
    this.events = events;
    this.metrics = metrics;
    this.headlines = new StatusAggregator(clock);
  }

  /**
   * The production wiring: every collaborator on the JDK HTTP client, reaching pipelines through
   * {@code endpoints} and starting AI-fix Jobs from {@code aiFixImage} unless a spec names one.
   */
  public static HealthLadder create(
      KubernetesClient client,
      Clock clock,
      EventRecorder events,
      MeterRegistry registry,
      PipelineEndpointResolver endpoints,
      String aiFixImage) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return new HealthLadder(
        client,
        new HealthObserver(client, http, endpoints, clock),
        new HealthAssessor(clock),
        new EscalationLadder(clock),
        new EvidenceStore(client),
        new AiFixJobs(client, aiFixImage),
        new SecretValues(client),
        new ReportDelivery(new TelegramClient(http, Duration.ofSeconds(10)), clock),
        new DeadMansSwitch(http, DEAD_MANS_SWITCH_TIMEOUT),
        events,
        new LadderMetrics(registry),
        clock);
  }

  @Override
  public List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context) {
    return List.of(observer.eventSource(context, this::forget));
  }

  /** A deleted CameraMonitor's per-object memory goes with it. */
  private void forget(CameraMonitor monitor) {
    written.remove(key(monitor));
    deadMansSwitch.forget(key(monitor));
  }

  @Override
  public Supervision supervise(
      CameraMonitor monitor, CameraMonitorStatus draft, Context<CameraMonitor> context) {
    if (monitor.getStatus() == null) {
      // the reconciler's first status write creates /status whole, over anything stored before
      // it: the ladder starts with the next check, once there is a status to add its fields to
      return Supervision.NOT_CHECKED;
    }
    String uid = monitor.getMetadata().getUid();
    // an observation made for an object deleted since (same name, other uid) says nothing of this
    // one: its pipeline is not this object's
    Observation observation =
        context.getSecondaryResource(Observation.class).filter(o -> o.isFor(uid)).orElse(null);
    CameraMonitorStatus current = currentLadderState(monitor);
    Assessment assessment = assessor.assess(observation, monitor.getSpec());
    Decision decision =
        ladder.decide(new LadderInput(monitor, current, assessment, jobState(monitor, current)));
    CameraMonitorStatus next = decision.status();
    Supervision supervision = supervision(decision);
    StatusAggregator.Headline headline =
        headlines.headline(
            monitor,
            monitor.getStatus(),
            WorkloadState.of(context.getSecondaryResource(Deployment.class)),
            supervision);
    if (decision.hasActions() || significant(current, next) || refreshDue(current, next)) {
      // first the state, then the action: a crash never repeats one; the phase goes with it, so
      // `kubectl describe` says what is happening before any (slow) action runs
      writeLadderState(monitor, next, headline);
      record(decision);
      for (Action action : decision.actions()) {
        perform(monitor, action, observation, next);
      }
    } else {
      next = current;
    }
    CameraMonitorStatus delivered = JSON.clone(next);
    var telegram = monitor.getSpec().getEscalation().getTelegram();
    int sent =
        delivery.deliver(
            delivered,
            telegram,
            t -> secrets.read(monitor.getMetadata().getNamespace(), t.getBotTokenSecretRef()),
            Redactor.shapesOnly());
    if (!Objects.equals(JSON.asJson(delivered.getOutbox()), JSON.asJson(next.getOutbox()))) {
      writeLadderState(monitor, delivered, headline);
      metrics.reportDelivered(sent);
      next = delivered;
    }
    String deadMans = monitor.getSpec().getEscalation().getDeadMansSwitchUrl();
    if (decision.phase() == Phase.Healthy
        && observation != null
        && deadMans != null
        && !deadMans.isBlank()) {
      // keyed by the check's time: reconciles that no health check triggered do not ping
      deadMansSwitch.ping(key(monitor), deadMans, observation.observedAt());
    }
    // the ladder's fields are already written; leaving them in the draft as read keeps the
    // reconciler's JSON-diff status patch off them (a diff applied on top would duplicate list
    // items)
    return supervision;
  }

  /** Stops the dead man's switch's thread (the observer's threads stop with its event source). */
  @Override
  public void close() {
    deadMansSwitch.close();
  }

  /** The cached status, unless the cache has not yet seen what this operator last wrote. */
  private CameraMonitorStatus currentLadderState(CameraMonitor monitor) {
    Written last = written.get(key(monitor));
    if (last != null && last.versions().contains(monitor.getMetadata().getResourceVersion())) {
      return last.status();
    }
    return monitor.getStatus() == null ? new CameraMonitorStatus() : monitor.getStatus();
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

  /**
   * Applies the fields the ladder owns (conditions stay with the aggregator) server-side, under the
   * ladder's own field manager: each field is replaced whole (the CRD's lists are atomic), and the
   * reconciler's fields, owned by the controller's manager, are left alone.
   */
  private void writeLadderState(
      CameraMonitor monitor, CameraMonitorStatus status, StatusAggregator.Headline headline) {
    Map<String, Object> fields = new LinkedHashMap<>();
    // shared with the reconciler's field manager: both write the same headline for the same
    // inputs, and the ladder always sends both fields (an apply that left one out would drop it)
    fields.put("phase", headline.phase());
    fields.put("message", headline.message());
    fields.put("recovery", status.getRecovery());
    fields.put("incidents", status.getIncidents());
    fields.put("outbox", status.getOutbox());
    fields.put("aiFix", status.getAiFix());
    // left out when null, so the apply removes it: this manager is its only writer
    fields.put("overrides", status.getOverrides());
    fields.put("cameras", status.getCameras());
    fields.put("healthyCameras", status.getHealthyCameras());
    fields.put("lastCheckTime", status.getLastCheckTime());
    fields.put("lastDigestTime", status.getLastDigestTime());
    fields.values().removeIf(Objects::isNull);
    Map<String, Object> apply = new LinkedHashMap<>();
    apply.put("apiVersion", HasMetadata.getApiVersion(CameraMonitor.class));
    apply.put("kind", HasMetadata.getKind(CameraMonitor.class));
    apply.put(
        "metadata",
        Map.of(
            "name", monitor.getMetadata().getName(),
            "namespace", monitor.getMetadata().getNamespace()));
    apply.put("status", fields);
    CameraMonitor patched;
    try {
      patched =
          client
              .resources(CameraMonitor.class)
              .inNamespace(monitor.getMetadata().getNamespace())
              .withName(monitor.getMetadata().getName())
              .subresource("status")
              .patch(
                  new PatchContext.Builder()
                      .withPatchType(PatchType.SERVER_SIDE_APPLY)
                      .withFieldManager(FIELD_MANAGER)
                      .withForce(true)
                      .build(),
                  JSON.asJson(apply));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // deleted meanwhile
      }
      throw e;
    }
    // a cache still at the version between two writes of one step (state, then delivered reports)
    // would otherwise bring back a report already delivered
    String id = key(monitor);
    String cached = monitor.getMetadata().getResourceVersion();
    Set<String> versions = new HashSet<>();
    Written before = written.get(id);
    if (before != null
        && before.versions().contains(cached)
        && !cached.equals(before.latest())) { // a cache at our latest write has caught up
      versions.addAll(before.versions());
    }
    versions.add(cached);
    String latest = patched == null ? cached : patched.getMetadata().getResourceVersion();
    versions.add(latest);
    written.put(id, new Written(Set.copyOf(versions), latest, JSON.clone(status)));
  }

  private void perform(
      CameraMonitor monitor, Action action, Observation observation, CameraMonitorStatus status) {
    try {
      if (action instanceof Action.Emit emit) {
        if (emit.warning()) {
          events.warning(monitor, emit.reason(), emit.message());
        } else {
          events.normal(monitor, emit.reason(), emit.message());
        }
      } else if (action instanceof Action.CaptureEvidence capture) {
        evidence.capture(
            monitor,
            capture.incident(),
            observation,
            observer.threadDump(monitor),
            secrets.redactorFor(monitor));
      } else if (action instanceof Action.RestartPipeline restart) {
        restartPipeline(monitor, restart.reason());
      } else if (action instanceof Action.DeleteReplacedPod replaced) {
        deleteReplacedPod(monitor, replaced.pod());
      } else if (action instanceof Action.CreateAiFixJob create) {
        createJob(monitor, create, status);
      } else if (action instanceof Action.RollOutFix) {
        restartPipeline(monitor, "rolling out an AI fix that came without an image");
      } else if (action instanceof Action.RemoveAnnotation remove) {
        removeAnnotation(monitor, remove.annotation());
      }
    } catch (KubernetesClientException e) {
      log.warn(
          "{}/{}: {} failed: {}",
          monitor.getMetadata().getNamespace(),
          monitor.getMetadata().getName(),
          action.getClass().getSimpleName(),
          e.getMessage());
      events.warning(
          monitor,
          "ActionFailed",
          action.getClass().getSimpleName()
              + " failed: HTTP "
              + e.getCode()
              + "; the ladder tries again on its next step");
    }
  }

  private void restartPipeline(CameraMonitor monitor, String reason) {
    log.info(
        "{}/{}: restarting the pipeline: {}",
        monitor.getMetadata().getNamespace(),
        monitor.getMetadata().getName(),
        reason);
    client
        .pods()
        .inNamespace(monitor.getMetadata().getNamespace())
        .withLabels(CameraMonitorResources.selectorLabels(monitor))
        .withGracePeriod(5)
        .delete();
  }

  private void deleteReplacedPod(CameraMonitor monitor, String pod) {
    log.info(
        "{}/{}: pod {} outlived the restart written to status; deleting it",
        monitor.getMetadata().getNamespace(),
        monitor.getMetadata().getName(),
        pod);
    client
        .pods()
        .inNamespace(monitor.getMetadata().getNamespace())
        .withName(pod)
        .withGracePeriod(5)
        .delete();
  }

  private void createJob(
      CameraMonitor monitor, Action.CreateAiFixJob create, CameraMonitorStatus status) {
    Incident incident =
        status.getIncidents().stream()
            .filter(i -> i.getId().equals(create.incident()))
            .findFirst()
            .orElseThrow();
    ConfigMap stored =
        client
            .configMaps()
            .inNamespace(monitor.getMetadata().getNamespace())
            .withName(CameraMonitorResources.evidenceConfigMapName(monitor))
            .get();
    Map<String, String> data =
        stored == null || stored.getData() == null ? Map.of() : stored.getData();
    PromptBuilder.Evidence evidence =
        new PromptBuilder.Evidence(
            data.get(EvidenceStore.logsKey(incident.getId())),
            data.get(EvidenceStore.statusKey(incident.getId())),
            data.get(EvidenceStore.threadsKey(incident.getId())));
    String prompt =
        PromptBuilder.build(
            monitor,
            incident,
            status.getRecovery().getLastRestartTime(),
            evidence,
            secrets.redactorFor(monitor));
    aiFixJobs.create(monitor, incident.getId(), create.jobName(), prompt);
  }

  /** A merge patch of metadata only: the spec stays the user's (and its generation unchanged). */
  private void removeAnnotation(CameraMonitor monitor, String annotation) {
    client
        .resources(CameraMonitor.class)
        .inNamespace(monitor.getMetadata().getNamespace())
        .withName(monitor.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            // null removes it; one already gone is fine
            "{\"metadata\":{\"annotations\":{\"" + annotation + "\":null}}}");
  }

  private void record(Decision decision) {
    for (Action action : decision.actions()) {
      if (action instanceof Action.RestartPipeline) {
        metrics.restart();
      }
    }
    if (decision.detectedAfter() != null) {
      metrics.detected(decision.detectedAfter());
      Incident opened = decision.status().getIncidents().get(0);
      opened.getProblems().forEach(p -> metrics.problem(p.getKind(), p.getCause().name()));
    }
    if (decision.recoveredAfter() != null) {
      metrics.recovered(decision.recoveredAfter());
    }
    decision.actions().stream()
        .filter(
            a ->
                a instanceof Action.Emit e
                    && List.of("RestartingPipeline", "AiFixStarted", "NeedsHuman")
                        .contains(e.reason()))
        .map(
            a ->
                switch (((Action.Emit) a).reason()) {
                  case "RestartingPipeline" -> 1;
                  case "AiFixStarted" -> 2;
                  default -> 3;
                })
        .distinct()
        .forEach(metrics::escalation);
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

  private static Supervision supervision(Decision decision) {
    Verdict pipeline = verdict(decision.conditions(), "PipelineHealthy");
    Verdict dependencies = verdict(decision.conditions(), "DependenciesHealthy");
    Verdict escalated = verdict(decision.conditions(), "Escalated");
    String message =
        "True".equals(pipeline.status()) && "True".equals(dependencies.status())
            ? null
            : "Unknown".equals(pipeline.status())
                ? null
                : !"True".equals(pipeline.status()) ? pipeline.message() : dependencies.message();
    return new Supervision(
        pipeline, dependencies, escalated, decision.phase(), message, Optional.empty());
  }

  private static Verdict verdict(List<Condition> conditions, String type) {
    Condition condition =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    return new Verdict(condition.getStatus(), condition.getReason(), condition.getMessage());
  }
}
