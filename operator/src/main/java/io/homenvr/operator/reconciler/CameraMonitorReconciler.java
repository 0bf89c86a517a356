package io.homenvr.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.operator.dependent.PipelineConfigMapDependentResource;
import io.homenvr.operator.dependent.PipelineDataPvcDependentResource;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.dependent.PipelineDeploymentDependentResource;
import io.homenvr.operator.dependent.PipelineServiceDependentResource;
import io.homenvr.operator.dependent.StorageRequestedCondition;
import io.homenvr.operator.dependent.WorkloadChanges;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.Supervision;
import io.homenvr.operator.status.WorkloadState;
import io.homenvr.operator.validation.SpecError;
import io.homenvr.operator.validation.SpecValidator;
import io.homenvr.operator.validation.WorkloadRefusals;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a CameraMonitor's pipeline workload in line with its spec: refresh status, validate, apply
 * the workload (only for a valid spec: an invalid one changes nothing; an object the API server
 * refuses makes it Invalid too), let the health loop judge it, then write conditions and Events
 * once.
 */
// generation-aware filtering would drop the status and annotation changes that must re-render the
// Deployment: CameraMonitorUpdates keeps its rule and adds those
@ControllerConfiguration(
    name = CameraMonitorReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = CameraMonitorUpdates.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "config", type = PipelineConfigMapDependentResource.class),
      @Dependent(
          name = "data",
          type = PipelineDataPvcDependentResource.class,
          activationCondition = StorageRequestedCondition.class),
      @Dependent(
          name = "pipeline",
          type = PipelineDeploymentDependentResource.class,
          dependsOn = "config"),
      @Dependent(name = "service", type = PipelineServiceDependentResource.class)
    })
public class CameraMonitorReconciler implements Reconciler<CameraMonitor> {
  public static final String NAME = "cameramonitor";

  private final PipelineDefaults defaults;
  private final StatusAggregator aggregator;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Optional<PipelineSupervisor> supervisor;

  public CameraMonitorReconciler(
      PipelineDefaults defaults,
      StatusAggregator aggregator,
      EventRecorder events,
      OperatorMetrics metrics,
      Optional<PipelineSupervisor> supervisor) {
    this.defaults = defaults;
    this.aggregator = aggregator;
    this.events = events;
    this.metrics = metrics;
    this.supervisor = supervisor;
  }

  @Override
  public List<EventSource<?, CameraMonitor>> prepareEventSources(
      EventSourceContext<CameraMonitor> context) {
    metrics.watch(context.getPrimaryCache());
    List<EventSource<?, CameraMonitor>> sources = new ArrayList<>();
    sources.add(SecretReferences.eventSource(context));
    supervisor.ifPresent(s -> sources.addAll(s.eventSources(context)));
    return sources;
  }

  @Override
  public UpdateControl<CameraMonitor> reconcile(
      CameraMonitor monitor, Context<CameraMonitor> context) {
    CameraMonitorStatus draft = StatusAggregator.draftOf(monitor);
    List<SpecError> errors = SpecValidator.validate(monitor, SecretReferences.lookup(context));
    if (errors.isEmpty()) {
      errors = applyWorkload(monitor, context);
    }
    CameraMonitorStatus status;
    Supervision supervision = Supervision.NOT_CHECKED;
    if (errors.isEmpty()) {
      supervision =
          supervisor.map(s -> s.supervise(monitor, draft, context)).orElse(Supervision.NOT_CHECKED);
      WorkloadState workload = WorkloadState.of(context.getSecondaryResource(Deployment.class));
      status = aggregator.deployed(monitor, draft, workload, supervision);
    } else {
      status = aggregator.invalid(monitor, draft, errors);
    }
    reportReadyTransition(monitor, status);
    UpdateControl<CameraMonitor> control =
        StatusAggregator.same(monitor.getStatus(), status)
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatusOnly(monitor, status));
    supervision.recheckAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * Creates or updates the workload. What the API server refuses as invalid comes back as errors (a
   * retry would be refused again); any other failure is thrown, for JOSDK to retry.
   */
  private List<SpecError> applyWorkload(CameraMonitor monitor, Context<CameraMonitor> context) {
    defaults.attachTo(context);
    WorkloadChanges changes = WorkloadChanges.attachTo(context);
    List<SpecError> refused = List.of();
    try {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    } catch (RuntimeException failure) {
      refused = WorkloadRefusals.of(failure);
      if (refused.isEmpty()) {
        throw failure;
      }
    }
    if (!changes.created().isEmpty()) {
      events.normal(monitor, "Created", "Created " + String.join(", ", changes.created()));
    }
    if (!changes.updated().isEmpty()) {
      events.normal(
          monitor,
          "Updated",
          "Updated "
              + String.join(", ", changes.updated())
              + " to match the spec (a changed configuration restarts the pipeline pod)");
    }
    return refused;
  }

  /** One Event per change of the Ready condition: Warning for problems, Normal for progress. */
  private void reportReadyTransition(CameraMonitor monitor, CameraMonitorStatus status) {
    Condition before =
        StatusAggregator.condition(monitor.getStatus(), StatusAggregator.READY).orElse(null);
    Condition after = StatusAggregator.condition(status, StatusAggregator.READY).orElseThrow();
    boolean problem = StatusAggregator.PROBLEM_REASONS.contains(after.getReason());
    boolean changed =
        before == null
            || !Objects.equals(before.getStatus(), after.getStatus())
            || !Objects.equals(before.getReason(), after.getReason())
            || (problem && !Objects.equals(before.getMessage(), after.getMessage()));
    if (!changed) {
      return;
    }
    if (problem) {
      events.warning(monitor, after.getReason(), after.getMessage());
    } else {
      events.normal(monitor, after.getReason(), after.getMessage());
    }
  }

  /**
   * Name, namespace and the status fields the reconciler owns, applied server-side under the
   * controller's field manager. The health loop's fields (cameras, recovery, incidents, outbox,
   * ...) belong to its own field manager and are left out: an apply that carried them as read from
   * a lagging cache would undo the health loop's last write.
   */
  private static CameraMonitor withStatusOnly(CameraMonitor monitor, CameraMonitorStatus status) {
    CameraMonitor patch = new CameraMonitor();
    patch.getMetadata().setName(monitor.getMetadata().getName());
    patch.getMetadata().setNamespace(monitor.getMetadata().getNamespace());
    CameraMonitorStatus owned = new CameraMonitorStatus();
    owned.setObservedGeneration(status.getObservedGeneration());
    owned.setPhase(status.getPhase());
    owned.setMessage(status.getMessage());
    owned.setConditions(status.getConditions());
    owned.setCameraCount(status.getCameraCount());
    owned.setCameras(null);
    owned.setRecovery(null);
    owned.setIncidents(null);
    owned.setOutbox(null);
    owned.setAiFix(null);
    patch.setStatus(owned);
    return patch;
  }
}
