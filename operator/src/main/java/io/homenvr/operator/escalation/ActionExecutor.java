package io.homenvr.operator.escalation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.operator.aifix.AiFixJobs;
import io.homenvr.operator.aifix.PromptBuilder;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.evidence.EvidenceStore;
import io.homenvr.operator.health.HealthObserver;
import io.homenvr.operator.health.Observation;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.secrets.SecretValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the ladder's actions in the cluster, after the status that decided them is stored:
 * evidence, restarts, the AI-fix Job, annotation removal; and its notices' Events. A failed action
 * is an Event and a log line; the ladder's next step finds what is missing (every action is
 * idempotent given the stored status).
 */
public class ActionExecutor {
  private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);

  private final KubernetesClient client;
  private final HealthObserver observer;
  private final EvidenceStore evidence;
  private final AiFixJobs aiFixJobs;
  private final SecretValues secrets;
  private final EventRecorder events;

  public ActionExecutor(
      KubernetesClient client,
      HealthObserver observer,
      EvidenceStore evidence,
      AiFixJobs aiFixJobs,
      SecretValues secrets,
      EventRecorder events) {
    this.client = client;
    this.observer = observer;
    this.evidence = evidence;
    this.aiFixJobs = aiFixJobs;
    this.secrets = secrets;
    this.events = events;
  }

  /**
   * @param observation what the step judged (its heartbeat goes into the evidence)
   * @param stored the status as written before this action
   */
  public void perform(
      CameraMonitor monitor, Action action, Observation observation, CameraMonitorStatus stored) {
    try {
      if (action instanceof Action.CaptureEvidence capture) {
        evidence.capture(
            monitor,
            capture.incident(),
            observation,
            // a pipeline that did not answer /status will not answer /threads either: asking
            // would only hold up the restart
            observation != null && observation.heartbeat().reachable()
                ? observer.threadDump(monitor)
                : null,
            secrets.redactorFor(monitor));
      } else if (action instanceof Action.RestartPipeline restart) {
        restartPipeline(
            monitor,
            restart.incident() == null
                ? "requested by annotation " + CameraMonitorResources.RESTART_ANNOTATION
                : "restart %d of incident %s".formatted(restart.attempt(), restart.incident()));
      } else if (action instanceof Action.DeleteReplacedPod replaced) {
        deleteReplacedPod(monitor, replaced.pod());
      } else if (action instanceof Action.CreateAiFixJob create) {
        createJob(monitor, create, stored);
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

  /** The Kubernetes Event a notice makes, if it makes one. */
  public void announce(CameraMonitor monitor, Notice notice) {
    NoticeWording.event(notice, monitor)
        .ifPresent(
            event -> {
              if (event.warning()) {
                events.warning(monitor, event.reason(), event.message());
              } else {
                events.normal(monitor, event.reason(), event.message());
              }
            });
  }

  private void restartPipeline(CameraMonitor monitor, String reason) {
    log.info(
        "{}/{}: restarting the pipeline: {}",
        monitor.getMetadata().getNamespace(),
        monitor.getMetadata().getName(),
        reason);
    List<StatusDetails> deleted =
        client
            .pods()
            .inNamespace(monitor.getMetadata().getNamespace())
            .withLabels(CameraMonitorResources.selectorLabels(monitor))
            .withGracePeriod(5)
            .delete();
    observer.deleted(
        monitor.getMetadata().getNamespace(),
        deleted.stream().map(StatusDetails::getName).filter(Objects::nonNull).toList());
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
    observer.deleted(monitor.getMetadata().getNamespace(), List.of(pod));
  }

  private void createJob(
      CameraMonitor monitor, Action.CreateAiFixJob create, CameraMonitorStatus stored) {
    Incident incident =
        stored.getIncidents().stream()
            .filter(i -> i.getId().equals(create.incident()))
            .findFirst()
            .orElseThrow();
    ConfigMap kept =
        client
            .configMaps()
            .inNamespace(monitor.getMetadata().getNamespace())
            .withName(CameraMonitorResources.evidenceConfigMapName(monitor))
            .get();
    Map<String, String> data = kept == null || kept.getData() == null ? Map.of() : kept.getData();
    PromptBuilder.Evidence evidence =
        new PromptBuilder.Evidence(
            data.get(EvidenceStore.logsKey(incident.getId())),
            data.get(EvidenceStore.statusKey(incident.getId())),
            data.get(EvidenceStore.threadsKey(incident.getId())));
    String prompt =
        PromptBuilder.build(
            monitor,
            incident,
            stored.getRecovery().getLastRestartTime(),
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
}
