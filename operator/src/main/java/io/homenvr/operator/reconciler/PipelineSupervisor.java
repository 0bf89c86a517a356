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
 * calls it once per reconciliation of a valid CameraMonitor, after the workload is in line with the
 * spec.
 */
public interface PipelineSupervisor {

  /**
   * Looks at the pipeline and acts on it.
   *
   * @param monitor the CameraMonitor as read from the cache (do not modify)
   * @param draft the status being built for this reconciliation: the supervisor owns {@code
   *     cameras}, {@code healthyCameras}, {@code lastCheckTime}, {@code recovery}, {@code
   *     incidents}, {@code outbox} and {@code aiFix}; conditions, phase and message come from the
   *     returned {@link Supervision}
   * @param context the reconciliation's context (client, secondary resources)
   */
  Supervision supervise(
      CameraMonitor monitor, CameraMonitorStatus draft, Context<CameraMonitor> context);

  /** Event sources the supervisor reads through the context (pods, Jobs, ...); none by default. */
  default List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context) {
    return List.of();
  }
}
