package io.homenvr.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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
import io.homenvr.operator.status.StatusWriter;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a CameraMonitor's pipeline workload in line with its spec. One reconciliation: validate →
 * apply the workload (only for a valid spec: an invalid one changes nothing; an object the API
 * server refuses makes it Invalid too) → let the health loop judge the pipeline → aggregate
 * conditions, phase and message → write the status once ({@link StatusWriter}) → only then let the
 * health loop act (restart, evidence, Job, Events, reports).
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
  public static final String NAME = StatusWriter.FIELD_MANAGER;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final PipelineDefaults defaults;
  private final StatusAggregator aggregator;
  private final StatusWriter writer;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Optional<PipelineSupervisor> supervisor;

  public CameraMonitorReconciler(
      PipelineDefaults defaults,
      StatusAggregator aggregator,
      StatusWriter writer,
      EventRecorder events,
      OperatorMetrics metrics,
      Optional<PipelineSupervisor> supervisor) {
    this.defaults = defaults;
    this.aggregator = aggregator;
    this.writer = writer;
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
    List<SpecError> errors = SpecValidator.validate(monitor, SecretReferences.lookup(context));
    if (errors.isEmpty()) {
      errors = applyWorkload(monitor, context);
    }
    if (!errors.isEmpty()) {
      CameraMonitorStatus current = writer.current(monitor);
      CameraMonitorStatus status = aggregator.invalid(monitor, JSON.clone(current), errors);
      reportReadyTransition(monitor, current, status);
      writer.write(monitor, status);
      return UpdateControl.noUpdate();
    }
    UpdateControl<CameraMonitor> control = UpdateControl.noUpdate();
    superviseAndWrite(monitor, context).ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * The part of a reconciliation after the workload is in line with a valid spec: the health loop
   * judges, the conditions are aggregated, the status is written once, then the health loop acts.
   *
   * @return when the health loop wants to look again, if it said
   */
  public Optional<Duration> superviseAndWrite(
      CameraMonitor monitor, Context<CameraMonitor> context) {
    CameraMonitorStatus current = writer.current(monitor);
    PipelineSupervisor.Judgement judgement =
        supervisor
            .map(s -> s.judge(monitor, JSON.clone(current), context))
            .orElseGet(
                () ->
                    new PipelineSupervisor.Judgement(
                        JSON.clone(current), Supervision.NOT_CHECKED, () -> {}));
    WorkloadState workload = WorkloadState.of(context.getSecondaryResource(Deployment.class));
    CameraMonitorStatus status =
        aggregator.deployed(monitor, judgement.status(), workload, judgement.supervision());
    reportReadyTransition(monitor, current, status);
    boolean gone = !writer.write(monitor, status) && !StatusAggregator.same(current, status);
    if (!gone) {
      // the status that leads to them is stored: a crash from here on never repeats an action
      judgement.afterWrite().run();
    }
    return judgement.supervision().recheckAfter();
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
  private void reportReadyTransition(
      CameraMonitor monitor, CameraMonitorStatus current, CameraMonitorStatus status) {
    Condition before = StatusAggregator.condition(current, StatusAggregator.READY).orElse(null);
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
}
