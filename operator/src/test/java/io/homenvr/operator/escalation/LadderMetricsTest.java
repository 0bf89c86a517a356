package io.homenvr.operator.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The detect and recover histograms have buckets across the times the ladder really takes. */
class LadderMetricsTest {
  private static final Pattern BUCKET = Pattern.compile("le=\"([0-9.]+)\"");

  @Test
  void timeToDetectHasBucketsFromSecondsToHalfAnHour() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new LadderMetrics(registry).detected(Duration.ofSeconds(8));

    List<Double> bounds = bounds(registry.scrape(), "homenvr_time_to_detect_seconds_bucket");
    assertThat(bounds).anyMatch(b -> b >= 5 && b <= 10); // a wedged pipeline, seconds
    assertThat(bounds).anyMatch(b -> b >= 30 && b <= 60); // a stuck camera
    assertThat(bounds).anyMatch(b -> b >= 1200); // a silent log, minutes
  }

  @Test
  void timeToRecoverHasBucketsFromARestartToAnAiFix() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new LadderMetrics(registry).recovered(Duration.ofSeconds(40));

    List<Double> bounds = bounds(registry.scrape(), "homenvr_time_to_recover_seconds_bucket");
    assertThat(bounds).anyMatch(b -> b >= 30 && b <= 60); // a restart
    assertThat(bounds).anyMatch(b -> b >= 35 && b <= 90); // a restart that needed two checks
    assertThat(bounds).anyMatch(b -> b >= 3600); // an AI fix verified, a human
  }

  private static List<Double> bounds(String scrape, String metric) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(metric + "{"))
        .map(BUCKET::matcher)
        .filter(Matcher::find)
        .map(m -> Double.parseDouble(m.group(1)))
        .toList();
  }
}
