package io.homenvr.operator.metrics;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.Phase;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * homenvr's own metrics, next to JOSDK's: {@code homenvr_cameramonitors{phase}} counts the
 * CameraMonitors in each phase (read from the informer cache at scrape time, so a deleted one
 * disappears by itself), {@code homenvr_cameras} the cameras they list, {@code
 * homenvr_events_total{type,reason}} the Events written.
 */
public class OperatorMetrics {
  private final MeterRegistry registry;
  private final AtomicReference<IndexedResourceCache<CameraMonitor>> monitors =
      new AtomicReference<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Phase phase : Phase.values()) {
      Gauge.builder("homenvr.cameramonitors", () -> count(phase))
          .description("CameraMonitors by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
    Gauge.builder("homenvr.cameras", this::cameras)
        .description("Cameras listed by all CameraMonitors")
        .register(registry);
  }

  /** The controller's cache of CameraMonitors, known once its event sources are prepared. */
  public void watch(IndexedResourceCache<CameraMonitor> cache) {
    monitors.set(cache);
  }

  public void eventRecorded(String type, String reason) {
    Counter.builder("homenvr.events")
        .description("Kubernetes Events written about CameraMonitors")
        .tag("type", type)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  private double count(Phase phase) {
    IndexedResourceCache<CameraMonitor> cache = monitors.get();
    if (cache == null) {
      return 0;
    }
    return cache.list().filter(m -> phaseOf(m) == phase).count();
  }

  private double cameras() {
    IndexedResourceCache<CameraMonitor> cache = monitors.get();
    if (cache == null) {
      return 0;
    }
    return cache
        .list()
        .mapToInt(
            m ->
                m.getSpec() == null || m.getSpec().getCameras() == null
                    ? 0
                    : m.getSpec().getCameras().size())
        .sum();
  }

  /** Not yet reconciled counts as Pending. */
  private static Phase phaseOf(CameraMonitor monitor) {
    return monitor.getStatus() == null || monitor.getStatus().getPhase() == null
        ? Phase.Pending
        : monitor.getStatus().getPhase();
  }
}
