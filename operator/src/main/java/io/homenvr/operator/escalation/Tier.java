package io.homenvr.operator.escalation;

/**
 * How far an incident climbed: what metrics count and the Escalated condition shows. Stored as its
 * {@link #number} in {@code incidents[].tierReached}.
 */
public enum Tier {
  /** Not escalated: no incident, or one only reported (external). */
  NONE(0),
  /** Tier 1: the pipeline is restarted (bounded, with backoff, evidence first). */
  RESTART(1),
  /** Tier 2: an AI-fix Job diagnoses and may fix. */
  AI_FIX(2),
  /** Tier 3: a human was told, with everything needed to act. */
  HUMAN(3);

  private final int number;

  Tier(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static Tier of(int number) {
    for (Tier tier : values()) {
      if (tier.number == number) {
        return tier;
      }
    }
    return number > HUMAN.number ? HUMAN : NONE;
  }
}
