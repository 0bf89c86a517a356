package io.homenvr.pipeline.vision;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.pipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The breaker's states driven by calls, probes and an injected clock. */
class CircuitBreakerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-02-21T10:00:00Z"));
  private final CircuitBreaker breaker = new CircuitBreaker(clock, 2, Duration.ofSeconds(30));

  private void open() {
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void opensAfterTheThresholdAndTriesOneCallAfterTheInterval() {
    open();
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).as("one trial at a time").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aSuccessfulProbeHalfOpensAtOnceAndAFailedTrialReopens() {
    open();
    breaker.onProbeSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aFailedProbeReopensAHalfOpenBreakerButNeverCutsATrialShort() {
    open();
    clock.advance(Duration.ofSeconds(20));
    breaker.onProbeSuccess();
    breaker.onProbeFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).as("reopened now, not at the first opening").isFalse();

    breaker.onProbeSuccess();
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onProbeFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void probesLeaveAClosedBreakerAlone() {
    breaker.onFailure();
    breaker.onProbeSuccess();
    breaker.onProbeFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.onFailure();
    assertThat(breaker.state())
        .as("the earlier failure still counts")
        .isEqualTo(CircuitBreaker.State.OPEN);
  }
}
