package io.homenvr.operator.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Phase;
import io.homenvr.operator.TestCluster;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.Observations;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.health.Observation;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.reconciler.CameraMonitorReconciler;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One round of the reconciler after the workload ({@link
 * CameraMonitorReconciler#superviseAndWrite}: the {@link RecoveryController} judges, the status is
 * aggregated and written once, then the controller acts) against a real API server, one round at a
 * time with a driven clock and hand-made observations: what is written to status, when, how often,
 * by whom, and for which object.
 */
class RecoveryStatusTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private String ns;
  private MutableClock clock;
  private RecoveryController ladder;
  private CameraMonitorReconciler reconciler;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void start() {
    cluster = TestCluster.start();
    client = cluster.client();
    ns = cluster.namespace("ladder-status");
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    registry = new SimpleMeterRegistry();
    OperatorMetrics metrics = new OperatorMetrics(registry);
    EventRecorder events = new EventRecorder(client, clock, metrics, "test");
    StatusWriter writer = new StatusWriter(client, registry);
    ladder =
        RecoveryController.create(
            client,
            clock,
            events,
            registry,
            monitor -> URI.create("http://127.0.0.1:9"), // nothing answers: no thread dump
            "homenvr-aifix:test",
            writer);
    reconciler =
        new CameraMonitorReconciler(
            new PipelineDefaults(TestCluster.PIPELINE_IMAGE),
            new StatusAggregator(clock),
            writer,
            events,
            metrics,
            Optional.of(ladder));
  }

  @AfterEach
  void stop() {
    ladder.close();
    cluster.close();
  }

  @Test
  void aMonitorRecreatedUnderTheSameNameIsNotJudgedOnTheOldOnesObservation() {
    CameraMonitor old = created();
    Observation frozenForOld = frozen().forMonitor(old.getMetadata().getUid());
    client.resource(old).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> stored() == null);
    CameraMonitor recreated = created();
    assertThat(recreated.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());

    supervise(recreated, frozenForOld);

    assertThat(stored().getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(stored().getStatus().getIncidents()).isEmpty();
    assertThat(events("RestartingPipeline")).isZero();

    // the same facts, observed for the new object itself, are judged (the test can fail)
    supervise(stored(), frozen().forMonitor(recreated.getMetadata().getUid()));
    assertThat(stored().getStatus().getPhase()).isEqualTo(Phase.Recovering);
    assertThat(events("RestartingPipeline")).isEqualTo(1);
  }

  @Test
  void thePhaseIsWrittenWithTheLadderStepBeforeAnyActionAndTheIncidentStartsAtTheFault() {
    CameraMonitor monitor = created();
    Instant lastFrame = clock.instant().minusSeconds(45);
    Observation frozen =
        Observations.healthy(clock.instant())
            .camera("gate", "STREAMING", lastFrame, null)
            .build()
            .forMonitor(monitor.getMetadata().getUid());

    supervise(monitor, frozen);

    CameraMonitorStatus status = stored().getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Recovering);
    assertThat(status.getMessage()).contains("gate");
    Incident incident = status.getIncidents().get(0);
    assertThat(incident.getFaultAt()).isEqualTo(lastFrame.toString());
    assertThat(incident.getOpenedAt()).isEqualTo(clock.instant().toString());
  }

  @Test
  void lastCheckTimeAndFrameTimesAreRefreshedOnceAMinuteWhenNothingElseChanges() {
    CameraMonitor monitor = created();
    String uid = monitor.getMetadata().getUid();
    Instant first = clock.instant();
    supervise(monitor, Observations.healthy(clock.instant()).build().forMonitor(uid));
    CameraMonitor afterFirst = stored();
    assertThat(afterFirst.getStatus().getLastCheckTime()).isEqualTo(first.toString());

    clock.advanceSeconds(30);
    supervise(afterFirst, Observations.healthy(clock.instant()).build().forMonitor(uid));
    CameraMonitor within = stored();
    assertThat(within.getMetadata().getResourceVersion())
        .as("no write while nothing changed for less than a minute")
        .isEqualTo(afterFirst.getMetadata().getResourceVersion());

    clock.advanceSeconds(31);
    supervise(within, Observations.healthy(clock.instant()).build().forMonitor(uid));
    CameraMonitorStatus refreshed = stored().getStatus();
    assertThat(refreshed.getLastCheckTime()).isEqualTo(clock.instant().toString());
    assertThat(Instant.parse(refreshed.getCameras().get(0).getLastFrameTime()))
        .isAfter(first.plusSeconds(60));
    assertThat(refreshed.getCameras().get(0).getState()).isEqualTo("Streaming");
  }

  @Test
  void eachRoundWritesStatusAtMostOnceUnderOneFieldManagerAndBeforeItActs() {
    CameraMonitor monitor = created();
    String uid = monitor.getMetadata().getUid();

    double before = statusWrites();
    supervise(monitor, Observations.healthy(clock.instant()).build().forMonitor(uid));
    assertThat(statusWrites() - before).as("first check: one write").isEqualTo(1);

    clock.advanceSeconds(10);
    before = statusWrites();
    supervise(stored(), Observations.healthy(clock.instant()).build().forMonitor(uid));
    assertThat(statusWrites() - before).as("nothing changed: no write").isZero();

    clock.advanceSeconds(10);
    before = statusWrites();
    CameraMonitor beforeRestart = stored();
    supervise(beforeRestart, frozen().forMonitor(uid));
    assertThat(statusWrites() - before)
        .as("an incident opened and a restart decided: still one write")
        .isEqualTo(1);
    CameraMonitor afterRestart = stored();
    assertThat(afterRestart.getStatus().getRecovery().getStage())
        .isEqualTo(Stage.AwaitingRecovery.name());
    // the restart's Event is emitted after the write that decided it, so the status it describes
    // is already there for anyone who reads it
    assertThat(events("RestartingPipeline")).isEqualTo(1);
    assertThat(afterRestart.getStatus().getPhase()).isEqualTo(Phase.Recovering);

    // a cache that has not seen that write yet: the round reads what was written, not the stale
    // copy, so the restart is neither repeated nor undone
    clock.advanceSeconds(1);
    supervise(beforeRestart, frozen().forMonitor(uid));
    assertThat(events("RestartingPipeline")).isEqualTo(1);
    assertThat(stored().getStatus().getRecovery().getRestarts()).isEqualTo(1);

    List<String> statusOwners =
        stored().getMetadata().getManagedFields().stream()
            .filter(m -> "status".equals(m.getSubresource()))
            .map(ManagedFieldsEntry::getManager)
            .distinct()
            .toList();
    assertThat(statusOwners).as("one status writer").containsExactly(StatusWriter.FIELD_MANAGER);
  }

  /** A pipeline up for an hour whose only camera says STREAMING with a frame a minute old. */
  private Observation frozen() {
    return Observations.healthy(clock.instant())
        .camera("gate", "STREAMING", clock.instant().minusSeconds(60), null)
        .build();
  }

  private CameraMonitor created() {
    CameraMonitor monitor = Monitors.monitor("gate");
    monitor.getMetadata().setNamespace(ns);
    monitor.getMetadata().setGeneration(null);
    return cluster.create(monitor);
  }

  private CameraMonitor stored() {
    return client.resources(CameraMonitor.class).inNamespace(ns).withName("home").get();
  }

  private long events(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .count();
  }

  /** One round, as the reconciler runs it after the workload. */
  private void supervise(CameraMonitor monitor, Observation observation) {
    reconciler.superviseAndWrite(monitor, new Given(observation));
  }

  private double statusWrites() {
    return registry.get("homenvr.status.writes").counter().count();
  }

  /** A reconcile's context that knows one observation and no other secondary resource. */
  private record Given(Observation observation) implements Context<CameraMonitor> {
    @Override
    public <R> Set<R> getSecondaryResources(Class<R> type) {
      return getSecondaryResource(type, null).map(Set::of).orElse(Set.of());
    }

    @Override
    public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) {
      return type == Observation.class ? Optional.of(type.cast(observation)) : Optional.empty();
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
      return Optional.empty();
    }

    @Override
    public ControllerConfiguration<CameraMonitor> getControllerConfiguration() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public EventSourceRetriever<CameraMonitor> eventSourceRetriever() {
      throw new UnsupportedOperationException();
    }

    @Override
    public KubernetesClient getClient() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CameraMonitor getPrimaryResource() {
      throw new UnsupportedOperationException();
    }

    @Override
    public IndexedResourceCache<CameraMonitor> getPrimaryCache() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isNextReconciliationImminent() {
      return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
      return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
      return false;
    }
  }
}
