package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.status.Phase;

/** Where the ladder stands for one CameraMonitor; stored as {@code status.recovery.stage}. */
public enum Stage {
  /** No open incident: nothing to do. */
  Idle,
  /** Restarts so far did not help; waiting out the backoff before the next one. */
  Restarting,
  /** A restart happened; the new pod gets recoveryGraceSeconds before it is judged. */
  AwaitingRecovery,
  /** Tier 2: the AI-fix Job runs. */
  AiFixRunning,
  /** Tier 2: the fix is rolled out and must stay healthy for verifySeconds. */
  VerifyingFix,
  /** Tier 3: a human was told; stays until healthy or acknowledged. */
  NeedsHuman,
  /** Only problems a restart cannot fix: reported once, cleared by itself. */
  External;

  /**
   * The phase a judged CameraMonitor in this stage shows.
   *
   * @param noProblems the check found nothing wrong (only matters while Idle: a problem seen at the
   *     first check is Degraded at once, before any incident opens)
   */
  public Phase phase(boolean noProblems) {
    return switch (this) {
      case Idle -> noProblems ? Phase.Healthy : Phase.Degraded;
      case External -> Phase.Degraded;
      case AwaitingRecovery, Restarting -> Phase.Recovering;
      case AiFixRunning, VerifyingFix -> Phase.Fixing;
      case NeedsHuman -> Phase.NeedsAttention;
    };
  }

  public static Stage parse(String stage) {
    if (stage == null) {
      return Idle;
    }
    try {
      return valueOf(stage);
    } catch (IllegalArgumentException unknown) {
      return Idle;
    }
  }
}
