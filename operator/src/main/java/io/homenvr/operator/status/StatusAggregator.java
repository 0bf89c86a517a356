package io.homenvr.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.validation.SpecError;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a CameraMonitor's conditions, phase and summary in one place, so they never disagree.
 * Keeps a condition's {@code lastTransitionTime} while its status stays the same.
 */
public class StatusAggregator {
  public static final String READY = "Ready";
  public static final String PIPELINE_HEALTHY = "PipelineHealthy";
  public static final String DEPENDENCIES_HEALTHY = "DependenciesHealthy";
  public static final String ESCALATED = "Escalated";

  /** Ready reason: the pipeline pod was ready and is not any more (not a pod starting). */
  public static final String PIPELINE_UNREADY = "PipelineUnready";

  /** Ready reasons that are a problem (Warning Events), as opposed to progress. */
  public static final List<String> PROBLEM_REASONS =
      Stream.concat(
              Arrays.stream(SpecError.Reason.values()).map(Enum::name),
              Stream.of("PipelineUnhealthy", PIPELINE_UNREADY))
          .toList();

  private static final List<String> CONDITION_ORDER =
      List.of(READY, PIPELINE_HEALTHY, DEPENDENCIES_HEALTHY, ESCALATED);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /** A deep copy of the current status (or an empty one), for this reconciliation to edit. */
  public static CameraMonitorStatus draftOf(CameraMonitor monitor) {
    return monitor.getStatus() == null
        ? new CameraMonitorStatus()
        : JSON.clone(monitor.getStatus());
  }

  /**
   * The status of a CameraMonitor whose spec cannot be run, or whose workload the API server
   * refused. The reason is the errors' own when they share one, else InvalidSpec.
   */
  public CameraMonitorStatus invalid(
      CameraMonitor monitor, CameraMonitorStatus draft, List<SpecError> errors) {
    boolean oneReason = errors.stream().map(SpecError::reason).distinct().count() == 1;
    String reason = (oneReason ? errors.get(0).reason() : SpecError.Reason.InvalidSpec).name();
    String all = errors.stream().map(SpecError::toString).collect(Collectors.joining("; "));
    setCondition(monitor, draft, READY, Verdict.isFalse(reason, all));
    keepOrInitialise(monitor, draft, Supervision.NOT_CHECKED);
    draft.setPhase(Phase.Invalid);
    draft.setMessage(
        errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    return common(monitor, draft);
  }

  /**
   * Ready, phase and message of a valid, deployed CameraMonitor: what both status writers (this
   * aggregator and the health loop, each under its own field manager) write, so they never
   * contradict each other.
   */
  public record Headline(Verdict ready, Phase phase, String message) {}

  /**
   * The headline from the workload and the health loop's verdict. A problem the health loop found
   * wins over "starting"; a pod that was ready and is not any more (outside a roll-out or a restart
   * the ladder made) is {@code PipelineUnready} and the phase Degraded at once, before the next
   * health check says why.
   */
  public Headline headline(
      CameraMonitor monitor,
      CameraMonitorStatus current,
      WorkloadState workload,
      Supervision supervision) {
    Verdict ready;
    if ("False".equals(supervision.pipelineHealthy().status())) {
      ready = Verdict.isFalse("PipelineUnhealthy", supervision.pipelineHealthy().message());
    } else if (!workload.available()
        && wasRunning(current)
        && !workload.rollingOut()
        && !restartedRecently(monitor, current)
        && QUIET_PHASES.contains(supervision.phase())) {
      ready =
          Verdict.isFalse(
              PIPELINE_UNREADY,
              workload.message().replace("; waiting", "")
                  + ": the pipeline pod was ready and is not any more (its readiness probe"
                  + " fails); the next health check says why");
    } else if (!workload.available()) {
      ready = Verdict.isFalse("PipelineStarting", workload.message());
    } else {
      ready = Verdict.isTrue("PipelineRunning", workload.message());
    }
    if (PIPELINE_UNREADY.equals(ready.reason())) {
      return new Headline(ready, Phase.Degraded, ready.message());
    }
    return new Headline(
        ready,
        supervision.phase(),
        Objects.requireNonNullElse(supervision.message(), ready.message()));
  }

  /** Phases in which the ladder is not already handling the pipeline. */
  private static final Set<Phase> QUIET_PHASES =
      EnumSet.of(Phase.Pending, Phase.Healthy, Phase.Degraded);

  /** Ready was True (or already PipelineUnready): the pod is not starting. */
  private static boolean wasRunning(CameraMonitorStatus current) {
    return condition(current, READY)
        .map(c -> "True".equals(c.getStatus()) || PIPELINE_UNREADY.equals(c.getReason()))
        .orElse(false);
  }

  /** The ladder (or a restart annotation) replaced the pod within the recovery grace. */
  private boolean restartedRecently(CameraMonitor monitor, CameraMonitorStatus current) {
    if (current == null || current.getRecovery() == null) {
      return false;
    }
    String last = current.getRecovery().getLastRestartTime();
    if (last == null) {
      return false;
    }
    long grace =
        monitor.getSpec() == null || monitor.getSpec().getRecovery() == null
            ? 60
            : monitor.getSpec().getRecovery().getRecoveryGraceSeconds();
    try {
      return Instant.parse(last).plusSeconds(grace).isAfter(clock.instant());
    } catch (DateTimeParseException unreadable) {
      return false;
    }
  }

  /** The status of a valid CameraMonitor whose workload is in line with its spec. */
  public CameraMonitorStatus deployed(
      CameraMonitor monitor,
      CameraMonitorStatus draft,
      WorkloadState workload,
      Supervision supervision) {
    Headline headline = headline(monitor, draft, workload, supervision);
    setCondition(monitor, draft, READY, headline.ready());
    setCondition(monitor, draft, PIPELINE_HEALTHY, supervision.pipelineHealthy());
    setCondition(monitor, draft, DEPENDENCIES_HEALTHY, supervision.dependenciesHealthy());
    setCondition(monitor, draft, ESCALATED, supervision.escalated());
    draft.setPhase(headline.phase());
    draft.setMessage(headline.message());
    return common(monitor, draft);
  }

  public static Optional<Condition> condition(CameraMonitorStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Equal as JSON: the only comparison that cannot be fooled by list or map types. */
  public static boolean same(CameraMonitorStatus a, CameraMonitorStatus b) {
    return Objects.equals(
        a == null ? null : JSON.convertValue(a, JsonNode.class),
        b == null ? null : JSON.convertValue(b, JsonNode.class));
  }

  private CameraMonitorStatus common(CameraMonitor monitor, CameraMonitorStatus draft) {
    draft.setObservedGeneration(monitor.getMetadata().getGeneration());
    draft.setCameraCount(
        monitor.getSpec() == null || monitor.getSpec().getCameras() == null
            ? 0
            : monitor.getSpec().getCameras().size());
    return draft;
  }

  private void keepOrInitialise(
      CameraMonitor monitor, CameraMonitorStatus draft, Supervision initial) {
    if (condition(draft, PIPELINE_HEALTHY).isEmpty()) {
      setCondition(monitor, draft, PIPELINE_HEALTHY, initial.pipelineHealthy());
    }
    if (condition(draft, DEPENDENCIES_HEALTHY).isEmpty()) {
      setCondition(monitor, draft, DEPENDENCIES_HEALTHY, initial.dependenciesHealthy());
    }
    if (condition(draft, ESCALATED).isEmpty()) {
      setCondition(monitor, draft, ESCALATED, initial.escalated());
    }
  }

  private void setCondition(
      CameraMonitor monitor, CameraMonitorStatus draft, String type, Verdict verdict) {
    Optional<Condition> previous = condition(draft, type);
    String since =
        previous
            .filter(p -> verdict.status().equals(p.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    Condition next =
        new ConditionBuilder()
            .withType(type)
            .withStatus(verdict.status())
            .withLastTransitionTime(since)
            .withReason(verdict.reason())
            .withMessage(verdict.message())
            .withObservedGeneration(monitor.getMetadata().getGeneration())
            .build();
    List<Condition> conditions =
        draft.getConditions() == null ? new ArrayList<>() : new ArrayList<>(draft.getConditions());
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(next);
    conditions.sort(Comparator.comparingInt(c -> rank(c.getType())));
    draft.setConditions(conditions);
  }

  /** Our four conditions first, in a fixed order; anything else after them. */
  private static int rank(String type) {
    int index = CONDITION_ORDER.indexOf(type);
    return index < 0 ? CONDITION_ORDER.size() : index;
  }
}
