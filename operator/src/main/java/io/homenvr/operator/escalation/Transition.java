package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Phase;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one ladder step: where it goes, the status to write first, then the actions to
 * take and the notices to give.
 *
 * @param from the stage the step started in
 * @param to the stage it ends in (also in {@code status.recovery.stage})
 * @param status the new status (recovery, incidents, aiFix, overrides, cameras filled in)
 * @param actions what to do in the cluster once {@code status} is stored
 * @param notices what to tell (Events, reports), once {@code status} is stored
 * @param phase the phase the ladder stands for
 * @param escalatedTo the highest tier this step climbed to (a restart, an AI-fix Job, a human
 *     told), or null
 * @param detectedAfter for a newly opened incident: how long the problem went unnoticed
 * @param recoveredAfter for a newly closed incident: how long it was open
 */
public record Transition(
    Stage from,
    Stage to,
    CameraMonitorStatus status,
    List<Action> actions,
    List<Notice> notices,
    Phase phase,
    Tier escalatedTo,
    Duration detectedAfter,
    Duration recoveredAfter) {
  public Transition {
    actions = List.copyOf(actions);
    notices = List.copyOf(notices);
  }

  public boolean hasActions() {
    return !actions.isEmpty();
  }
}
