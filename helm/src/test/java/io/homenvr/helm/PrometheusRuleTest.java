package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.pipeline.status.PipelineMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule names is one the operator's or the pipeline's real registry exports:
 * the registries are built by the code itself and scraped, so a renamed meter fails here rather
 * than as an alert that can never fire.
 */
class PrometheusRuleTest {
  private static final Pattern METRIC =
      Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(\\{|\\[|\\)|>|<|=|$| )");
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "sum",
          "by",
          "rate",
          "absent",
          "or",
          "and",
          "unless",
          "vector",
          "without",
          "max",
          "min",
          "increase",
          "on",
          "ignoring");

  @Test
  void everyRuleNamesOnlyExportedMetricsInBalancedPromQl() {
    List<GenericKubernetesResource> rules =
        Chart.parseGeneric(Chart.template(Map.of("prometheusRule.enabled", true))).stream()
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .toList();
    assertThat(rules).hasSize(1);
    Set<String> exported = exported();
    Set<String> alerts = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (Object group : (List<?>) spec(rules.get(0)).get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) group).get("rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        String alert = (String) rule.get("alert");
        String expr = String.valueOf(rule.get("expr"));
        alerts.add(alert);
        assertThat(balanced(expr)).as(alert + ": balanced brackets in " + expr).isTrue();
        for (String metric : metrics(expr)) {
          if (!exported.contains(metric)) {
            unknown.add(alert + " names " + metric);
          }
        }
      }
    }
    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "HomenvrCameraDown",
            "HomenvrRecordingStalled",
            "HomenvrIncidentOpenTooLong",
            "HomenvrEscalatedToHuman",
            "HomenvrOperatorNotReconciling",
            "HomenvrDeadMansSwitch");
    assertThat(unknown).as("metrics nobody exports (exported: %s)", exported).isEmpty();
  }

  @Test
  void offByDefault() {
    assertThat(Chart.template(Map.of())).doesNotContain("kind: PrometheusRule");
  }

  /** The names the operator's and the pipeline's registries really serve on /metrics. */
  private static Set<String> exported() {
    PrometheusMeterRegistry operator = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new OperatorMetrics(operator);
    PrometheusMeterRegistry pipeline = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics.register(pipeline, List.of("gate"), () -> null);
    // the meters the code registered, named as the Prometheus registry names them on /metrics
    // (its naming convention, plus _total for counters); no value is read
    Set<String> names = new TreeSet<>();
    for (PrometheusMeterRegistry registry : List.of(operator, pipeline)) {
      for (Meter meter : registry.getMeters()) {
        Meter.Id id = meter.getId();
        String name =
            registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit());
        names.add(
            id.getType() == Meter.Type.COUNTER && !name.endsWith("_total")
                ? name + "_total"
                : name);
      }
    }
    return names;
  }

  private static Set<String> metrics(String expr) {
    String withoutStrings = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", "{}");
    withoutStrings = withoutStrings.replaceAll("\\[[^]]*]", "[]");
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(withoutStrings);
    while (m.find()) {
      String word = m.group(1);
      if (!PROMQL_WORDS.contains(word) && !word.matches("\\d.*")) {
        names.add(word);
      }
    }
    // label names inside "by (...)" are not metrics
    Matcher by = Pattern.compile("by \\(([^)]*)\\)").matcher(withoutStrings);
    while (by.find()) {
      for (String label : by.group(1).split(",")) {
        names.remove(label.strip());
      }
    }
    return names;
  }

  private static boolean balanced(String expr) {
    int round = 0, square = 0, curly = 0;
    for (char c : expr.toCharArray()) {
      switch (c) {
        case '(' -> round++;
        case ')' -> round--;
        case '[' -> square++;
        case ']' -> square--;
        case '{' -> curly++;
        case '}' -> curly--;
        default -> {}
      }
      if (round < 0 || square < 0 || curly < 0) {
        return false;
      }
    }
    return round == 0 && square == 0 && curly == 0;
  }

  private static Map<?, ?> spec(GenericKubernetesResource resource) {
    return (Map<?, ?>) resource.getAdditionalProperties().get("spec");
  }
}
