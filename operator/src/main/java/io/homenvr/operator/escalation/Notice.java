package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.status.ConfigOverride;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.operator.health.Assessment;
import java.util.List;

/**
 * Something a ladder step wants people to know, as facts: {@link NoticeWording} turns it into a
 * Kubernetes Event, and a {@link Report} into a message in the outbox. The ladder never words one.
 */
public sealed interface Notice {

  /** An incident opened (or turned out to be the pipeline's) with this problem. */
  record ProblemFound(String incident, Problem problem) implements Notice {}

  /** {@code homenvr.io/ack} closed the open incident; the ladder starts over. */
  record Acknowledged(String incident) implements Notice {}

  /** {@code homenvr.io/restart} asked for a restart. */
  record RestartRequested() implements Notice {}

  /** Tier 1: restart {@code attempt} of {@code max} for these problem kinds. */
  record Restarting(String incident, int attempt, int max, List<String> kinds) implements Notice {}

  record FixedByRestart(String incident, int restarts) implements Notice {}

  record DependencyBack(String incident) implements Notice {}

  /** Tier 2: the AI-fix Job started after {@code restarts} restarts did not help. */
  record AiFixStarted(String incident, int restarts, String job) implements Notice {}

  record AiFixApplied(String incident, String commit, int verifySeconds) implements Notice {}

  /**
   * The rolled-out fix stayed healthy for {@code verifySeconds}.
   *
   * @param permanentChange what to put in the spec to keep it (null: nothing runs overridden)
   */
  record AiFixHeld(String incident, int verifySeconds, String permanentChange) implements Notice {}

  /** The agent's analysis, whatever came of its Job. */
  record Diagnosed(String incident, String job, String cause, String confidence)
      implements Notice {}

  /** A code fix rolls out as the image the spec's template names: from status.overrides now. */
  record OverrideApplied(String incident, String image) implements Notice {}

  /** The agent's configuration change, within bounds, runs as an override from now on. */
  record ConfigFixApplied(String incident, String change, int verifySeconds) implements Notice {}

  /** The agent's proposal was refused (or not applied): nothing changed. */
  record ProposalRefused(String incident, String field, String reason) implements Notice {}

  /** Why an override went. */
  enum Revert {
    /** {@code homenvr.io/revert-override}. */
    REQUESTED,
    /** The user's spec changed since: it wins. */
    SPEC_CHANGED,
    /** The fix it carried did not hold: the pipeline runs the spec again. */
    DID_NOT_HOLD
  }

  /** The image override is gone; {@code specImage} is what runs instead (null: the default). */
  record OverrideReverted(Overrides override, String specImage, Revert why) implements Notice {}

  /**
   * The configuration override is gone.
   *
   * @param detail for {@link Revert#SPEC_CHANGED}: what the spec says now, else null
   */
  record ConfigOverrideReverted(ConfigOverride override, Revert why, String detail)
      implements Notice {}

  /** Tier 3. */
  record NeedsHuman(String incident, HumanNeeded why) implements Notice {}

  /** Healthy again while a human was asked to look. */
  record Recovered(String incident) implements Notice {}

  /** A camera's recording had a gap that has closed. */
  record RecordingGap(Assessment.RecordingGap gap) implements Notice {}

  /**
   * A message for the human's channel about an incident, queued in the outbox with the status that
   * caused it (once per incident and kind).
   *
   * @param kind one of {@link io.homenvr.operator.notify.Reports}' kinds
   * @param why for a NeedsHuman report: why
   */
  record Report(String kind, String incident, HumanNeeded why) implements Notice {}

  /** The daily "all nominal" digest is due. */
  record Digest() implements Notice {}

  /** Why the ladder gave up and asked a human. */
  sealed interface HumanNeeded {
    record AiFixOff(int restarts) implements HumanNeeded {}

    /** An AI fix once claimed this fingerprint fixed; the problem is back. */
    record FixedOnceBefore(String fingerprint) implements HumanNeeded {}

    record AiFixCoolingDown(int restarts, int cooldownHours) implements HumanNeeded {}

    record AiFixEnded(String outcome) implements HumanNeeded {}

    /**
     * @param reverted what was reverted with it (an override), or null
     */
    record FixDidNotHold(List<String> kinds, String reverted) implements HumanNeeded {}

    /** The agent's configuration change was refused; nothing was applied. */
    record ProposalRefused(String outcome, String field, String reason) implements HumanNeeded {}

    /**
     * A code fix was pushed but no image template says which image has it: it waits for a human to
     * build and roll it out.
     */
    record CodeFixWaiting(String branch, String commit, String diff) implements HumanNeeded {}
  }
}
