package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Phase;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one ladder step: the status to write first, then the actions to take.
 *
 * @param status the new status (recovery, incidents, outbox, aiFix, cameras filled in)
 * @param phase the phase the ladder stands for; null when nothing was judged yet
 * @param escalatedTo the highest tier this step climbed to (a restart, an AI-fix Job, a human
 *     told), or null
 * @param detectedAfter for a newly opened incident: how long the problem went unnoticed
 * @param recoveredAfter for a newly closed incident: how long it was open
 */
public record Decision(
    CameraMonitorStatus status,
    List<Action> actions,
    Phase phase,
    Tier escalatedTo,
    Duration detectedAfter,
    Duration recoveredAfter) {
  public Decision {
    actions = List.copyOf(actions);
  }

  public boolean hasActions() {
    return actions.stream().anyMatch(a -> !(a instanceof Action.Emit));
  }
}
