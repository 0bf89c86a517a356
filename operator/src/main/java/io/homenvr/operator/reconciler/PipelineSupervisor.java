package io.homenvr.operator.reconciler;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.operator.status.Supervision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * The health loop: judges whether a running pipeline does its work and heals it. The reconciler
 * asks it once per reconciliation of a valid CameraMonitor, after the workload is in line with the
 * spec, for a {@link Judgement}; it writes the status that judgement leads to (the only status
 * write of the reconciliation) and only then lets the judgement act. So the ladder's state is
 * always stored before its action (restart, evidence, Job, roll-out, report): a crash in between
 * resumes without repeating the action.
 */
public interface PipelineSupervisor {

  /**
   * What one round of the health loop concluded.
   *
   * @param status the current status with the health loop's fields (cameras, recovery, incidents,
   *     outbox, aiFix, overrides, check times) brought up to date; conditions, phase and message
   *     are the reconciler's to set from {@code supervision}
   * @param supervision the conditions, phase and message for the reconciler to aggregate
   * @param afterWrite what to do once {@code status} is stored: the ladder's actions, its Events,
   *     report delivery; never run when the write failed
   */
  record Judgement(CameraMonitorStatus status, Supervision supervision, Runnable afterWrite) {}

  /**
   * Looks at the pipeline and decides; changes nothing in the cluster yet.
   *
   * @param monitor the CameraMonitor as read from the cache (do not modify)
   * @param current its status as it stands (read-your-writes), a copy the supervisor may keep
   * @param context the reconciliation's context (secondary resources)
   */
  Judgement judge(
      CameraMonitor monitor, CameraMonitorStatus current, Context<CameraMonitor> context);

  /** Event sources the supervisor reads through the context (pods, Jobs, ...); none by default. */
  default List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context) {
    return List.of();
  }
}
