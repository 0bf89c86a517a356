package io.homenvr.operator.escalation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What the ladder did, for Prometheus: problems by kind, restarts, escalations by tier, time to
 * detect and to recover.
 */
public class LadderMetrics {
  private final MeterRegistry registry;
  private final Timer timeToDetect;
  private final Timer timeToRecover;

  public LadderMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.timeToDetect =
        Timer.builder("homenvr.time.to.detect")
            .description("From the last sign of health (e.g. the newest frame) to a new incident")
            .publishPercentileHistogram()
            // a wedged pipeline is noticed in seconds; a silent stall takes minutes
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofMinutes(30))
            .register(registry);
    this.timeToRecover =
        Timer.builder("homenvr.time.to.recover")
            .description("From an incident's detection to its close")
            .publishPercentileHistogram()
            // a restart recovers in tens of seconds, an AI fix or a human in hours
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofHours(12))
            .register(registry);
  }

  public void problem(String kind, String cause) {
    Counter.builder("homenvr.problems")
        .description("Problems found when an incident opened, by kind")
        .tag("kind", kind)
        .tag("cause", cause)
        .register(registry)
        .increment();
  }

  public void restart() {
    Counter.builder("homenvr.restarts")
        .description("Pipeline restarts by the ladder")
        .register(registry)
        .increment();
  }

  public void escalation(Tier tier) {
    Counter.builder("homenvr.escalations")
        .description("Incidents reaching a tier: 1 restart, 2 AI fix, 3 human")
        .tag("tier", String.valueOf(tier.number()))
        .register(registry)
        .increment();
  }

  public void reportDelivered(int count) {
    Counter.builder("homenvr.reports.delivered")
        .description("Telegram reports confirmed")
        .register(registry)
        .increment(count);
  }

  public void detected(Duration after) {
    timeToDetect.record(after);
  }

  public void recovered(Duration after) {
    timeToRecover.record(after);
  }
}
