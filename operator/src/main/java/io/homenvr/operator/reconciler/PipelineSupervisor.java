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
 *
 * <p>Status is written in two parts, by server-side apply under two field managers. The supervisor
 * applies the fields it owns ({@code cameras}, {@code healthyCameras}, {@code lastCheckTime},
 * {@code lastDigestTime}, {@code recovery}, {@code incidents}, {@code outbox}, {@code aiFix})
 * itself, as field manager {@code homenvr-ladder}, <em>before</em> it acts (restart, Job, roll-out)
 * and again after it delivered reports: the ladder's state must be stored before its action so that
 * a crash in between resumes without repeating the action, which a patch at the end of the
 * reconciliation cannot promise. The reconciler's own apply at the end (field manager {@code
 * cameramonitor}) carries only what comes from the returned {@link Supervision}: conditions, phase,
 * message, observedGeneration, cameraCount.
 */
public interface PipelineSupervisor {

  /**
   * Looks at the pipeline, writes its own status fields, acts, and says what it concluded.
   *
   * @param monitor the CameraMonitor as read from the cache (do not modify)
   * @param draft the status the reconciler will patch; the supervisor leaves its own fields there
   *     as read, so that the reconciler's patch (a diff against the cached object) does not write
   *     them a second time over what the supervisor already stored
   * @param context the reconciliation's context (client, secondary resources)
   * @return the conditions, phase and message for the reconciler to write
   */
  Supervision supervise(
      CameraMonitor monitor, CameraMonitorStatus draft, Context<CameraMonitor> context);

  /** Event sources the supervisor reads through the context (pods, Jobs, ...); none by default. */
  default List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context) {
    return List.of();
  }
}
