package io.homenvr.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.CameraMonitors;
import io.homenvr.operator.validation.SpecError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final WorkloadState STARTING = new WorkloadState(false, "0/1 ready");
  private static final WorkloadState RUNNING = new WorkloadState(true, "1 ready");

  private final CameraMonitor monitor = monitor();

  private static CameraMonitor monitor() {
    CameraMonitor monitor = CameraMonitors.home("ns");
    monitor.getMetadata().setGeneration(3L);
    return monitor;
  }

  private static StatusAggregator at(Instant instant) {
    return new StatusAggregator(Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void aNewCameraMonitorGetsAllFourConditionsInOrder() {
    CameraMonitorStatus status =
        at(T0)
            .deployed(
                monitor, StatusAggregator.draftOf(monitor), STARTING, Supervision.NOT_CHECKED);

    assertThat(status.getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly(
            "Ready=False/PipelineStarting",
            "PipelineHealthy=Unknown/NotChecked",
            "DependenciesHealthy=Unknown/NotChecked",
            "Escalated=False/NotEscalated");
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z"));
    assertThat(status.getPhase()).isEqualTo(Phase.Pending);
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getCameraCount()).isEqualTo(2);
    assertThat(status.getMessage()).isEqualTo("0/1 ready");
  }

  private static Supervision healthy() {
    return new Supervision(
        Verdict.isTrue("Working", "frames flow"),
        Verdict.isTrue("Reachable", "fine"),
        Verdict.isFalse("NotEscalated", "Nothing was escalated"),
        Phase.Healthy,
        null,
        Optional.empty());
  }

  @Test
  void aPodThatWasReadyAndIsNotIsDegradedAtOnceNotStarting() {
    monitor.setStatus(
        at(T0).deployed(monitor, StatusAggregator.draftOf(monitor), RUNNING, healthy()));
    WorkloadState unready =
        new WorkloadState(
            false, "Deployment home-pipeline has 0/1 ready pipeline pods; waiting", false);

    CameraMonitorStatus status =
        at(T0.plusSeconds(5))
            .deployed(monitor, StatusAggregator.draftOf(monitor), unready, healthy());

    assertThat(StatusAggregator.condition(status, "Ready").orElseThrow())
        .extracting("status", "reason")
        .containsExactly("False", "PipelineUnready");
    assertThat(StatusAggregator.PROBLEM_REASONS).contains("PipelineUnready");
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status.getMessage())
        .contains("was ready and is not any more")
        .doesNotContain("waiting");

    monitor.setStatus(status);
    CameraMonitorStatus still =
        at(T0.plusSeconds(10))
            .deployed(monitor, StatusAggregator.draftOf(monitor), unready, healthy());
    assertThat(still.getPhase())
        .as("stays Degraded until the pod is ready")
        .isEqualTo(Phase.Degraded);
  }

  @Test
  void aRollOutOrARecentRestartIsStartingAndAFoundProblemWinsOverStarting() {
    monitor.setStatus(
        at(T0).deployed(monitor, StatusAggregator.draftOf(monitor), RUNNING, healthy()));
    WorkloadState rollingOut = new WorkloadState(false, "0/1 ready", true);
    assertThat(
            StatusAggregator.condition(
                    at(T0)
                        .deployed(
                            monitor, StatusAggregator.draftOf(monitor), rollingOut, healthy()),
                    "Ready")
                .orElseThrow()
                .getReason())
        .isEqualTo("PipelineStarting");

    CameraMonitorStatus restarted = StatusAggregator.draftOf(monitor);
    restarted.getRecovery().setLastRestartTime(T0.toString());
    monitor.setStatus(restarted);
    assertThat(
            at(T0.plusSeconds(5))
                .deployed(monitor, StatusAggregator.draftOf(monitor), STARTING, healthy())
                .getConditions()
                .get(0)
                .getReason())
        .isEqualTo("PipelineStarting");

    Supervision unhealthy =
        new Supervision(
            Verdict.isFalse("FramesStale", "no camera's frames advance"),
            Verdict.isTrue("Reachable", "fine"),
            Verdict.isTrue("Restarting", "tier 1"),
            Phase.Recovering,
            "no camera's frames advance",
            Optional.empty());
    CameraMonitorStatus wedged =
        at(T0).deployed(monitor, StatusAggregator.draftOf(monitor), STARTING, unhealthy);
    assertThat(wedged.getConditions().get(0).getReason())
        .as("a wedged pod is not reported as starting")
        .isEqualTo("PipelineUnhealthy");
    assertThat(wedged.getPhase()).isEqualTo(Phase.Recovering);
  }

  @Test
  void keepsLastTransitionTimeWhileAConditionsStatusStaysTheSame() {
    monitor.setStatus(
        at(T0)
            .deployed(
                monitor, StatusAggregator.draftOf(monitor), STARTING, Supervision.NOT_CHECKED));
    StatusAggregator later = at(T0.plus(Duration.ofMinutes(5)));

    CameraMonitorStatus running =
        later.deployed(
            monitor, StatusAggregator.draftOf(monitor), RUNNING, Supervision.NOT_CHECKED);

    assertThat(StatusAggregator.condition(running, "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-01-01T10:05:00Z");
    assertThat(
            StatusAggregator.condition(running, "PipelineHealthy")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void theSameInputsGiveTheSameStatusSoNothingIsPatched() {
    monitor.setStatus(
        at(T0)
            .deployed(
                monitor, StatusAggregator.draftOf(monitor), RUNNING, Supervision.NOT_CHECKED));

    CameraMonitorStatus again =
        at(T0.plus(Duration.ofHours(1)))
            .deployed(monitor, StatusAggregator.draftOf(monitor), RUNNING, Supervision.NOT_CHECKED);

    assertThat(StatusAggregator.same(monitor.getStatus(), again)).isTrue();
    again.setCameraCount(5);
    assertThat(StatusAggregator.same(monitor.getStatus(), again)).isFalse();
  }

  @Test
  void anInvalidSpecNamesEveryErrorAndKeepsTheLaddersState() {
    CameraMonitorStatus draft = StatusAggregator.draftOf(monitor);
    draft.getRecovery().setRestarts(2);
    List<SpecError> errors =
        List.of(
            new SpecError(
                "spec.cameras[0].url",
                "must not contain credentials",
                SpecError.Reason.InvalidSpec),
            new SpecError(
                "spec.vision.apiKeySecretRef",
                "Secret x does not exist",
                SpecError.Reason.SecretNotFound));

    CameraMonitorStatus status = at(T0).invalid(monitor, draft, errors);

    var ready = StatusAggregator.condition(status, "Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .isEqualTo(
            "spec.cameras[0].url: must not contain credentials; spec.vision.apiKeySecretRef: Secret"
                + " x does not exist");
    assertThat(status.getPhase()).isEqualTo(Phase.Invalid);
    assertThat(status.getMessage())
        .isEqualTo("spec.cameras[0].url: must not contain credentials (and 1 more)");
    assertThat(status.getRecovery().getRestarts()).isEqualTo(2);
  }

  @Test
  void onlyMissingSecretsReadAsSecretNotFound() {
    CameraMonitorStatus status =
        at(T0)
            .invalid(
                monitor,
                StatusAggregator.draftOf(monitor),
                List.of(
                    new SpecError(
                        "spec.alerts.telegram.botTokenSecretRef",
                        "missing",
                        SpecError.Reason.SecretNotFound)));

    assertThat(StatusAggregator.condition(status, "Ready").orElseThrow().getReason())
        .isEqualTo("SecretNotFound");
  }

  @Test
  void anUnhealthyPipelineIsNotReadyAndItsPhaseComesFromTheSupervision() {
    Supervision recovering =
        new Supervision(
            Verdict.isFalse("FramesStale", "gate: last frame 45 s ago"),
            Verdict.isTrue("Reachable", "cameras and vision answer"),
            Verdict.isTrue("Restarting", "restart 1 of 3"),
            Phase.Recovering,
            "Restarting the pipeline (1 of 3)",
            Optional.of(Duration.ofSeconds(10)));

    CameraMonitorStatus status =
        at(T0).deployed(monitor, StatusAggregator.draftOf(monitor), RUNNING, recovering);

    var ready = StatusAggregator.condition(status, "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PipelineUnhealthy");
    assertThat(ready.getMessage()).isEqualTo("gate: last frame 45 s ago");
    assertThat(status.getPhase()).isEqualTo(Phase.Recovering);
    assertThat(status.getMessage()).isEqualTo("Restarting the pipeline (1 of 3)");
  }
}
