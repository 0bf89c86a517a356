package io.homenvr.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the workflow created or updated in one reconciliation, collected so the reconciler can say
 * it in one Event. Dependents run on the workflow's threads, hence the concurrent lists.
 */
public final class WorkloadChanges {
  private static final String KEY = WorkloadChanges.class.getName();

  private final List<String> created = new CopyOnWriteArrayList<>();
  private final List<String> updated = new CopyOnWriteArrayList<>();

  public static WorkloadChanges attachTo(Context<CameraMonitor> context) {
    WorkloadChanges changes = new WorkloadChanges();
    context.managedWorkflowAndDependentResourceContext().put(KEY, changes);
    return changes;
  }

  static WorkloadChanges of(Context<CameraMonitor> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(KEY, WorkloadChanges.class);
  }

  void created(HasMetadata resource) {
    created.add(describe(resource));
  }

  void updated(HasMetadata resource) {
    updated.add(describe(resource));
  }

  /** e.g. "ConfigMap home-pipeline", sorted so the Event text does not depend on thread timing. */
  public List<String> created() {
    return created.stream().sorted().toList();
  }

  public List<String> updated() {
    return updated.stream().sorted().toList();
  }

  private static String describe(HasMetadata resource) {
    return resource.getKind() + " " + resource.getMetadata().getName();
  }
}
