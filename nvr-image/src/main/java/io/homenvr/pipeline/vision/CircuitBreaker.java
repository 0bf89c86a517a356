package io.homenvr.pipeline.vision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a failing LLM: open after {@code threshold} failures in a row, one trial call
 * (half-open) after {@code openFor} or as soon as a background probe finds the server answering
 * again, closed again by a successful call.
 */
public final class CircuitBreaker {
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final Clock clock;
  private final int threshold;
  private final Duration openFor;
  private State state = State.CLOSED;
  private int failures;
  private Instant openedAt;
  private boolean trialInFlight;

  public CircuitBreaker(Clock clock, int threshold, Duration openFor) {
    this.clock = clock;
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether this call may go to the LLM; in half-open only one trial at a time does. */
  public synchronized boolean tryAcquire() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
      state = State.HALF_OPEN;
    }
    if (state == State.CLOSED) {
      return true;
    }
    if (state == State.HALF_OPEN && !trialInFlight) {
      trialInFlight = true;
      return true;
    }
    return false;
  }

  public synchronized void onSuccess() {
    state = State.CLOSED;
    failures = 0;
    trialInFlight = false;
  }

  public synchronized void onFailure() {
    failures++;
    trialInFlight = false;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = clock.instant();
    }
  }

  /**
   * The server answers its cheap probe: let the next call through as the trial, without waiting.
   */
  public synchronized void onProbeSuccess() {
    if (state == State.OPEN) {
      state = State.HALF_OPEN;
      trialInFlight = false;
    }
  }

  /** The server stopped answering before any trial call was made: back to open. */
  public synchronized void onProbeFailure() {
    if (state == State.HALF_OPEN && !trialInFlight) {
      state = State.OPEN;
      openedAt = clock.instant();
    }
  }

  /** How long it stays open before a call may try again; probes run at this interval. */
  public Duration openFor() {
    return openFor;
  }

  public synchronized State state() {
    return state;
  }
}
