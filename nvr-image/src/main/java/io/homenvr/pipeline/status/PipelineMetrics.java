package io.homenvr.pipeline.status;

import io.homenvr.pipeline.capture.CameraState;
import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.recording.RecordingState;
import io.homenvr.pipeline.recording.RecordingStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** Prometheus meters read from the same counters as {@code /status}, so both always agree. */
public final class PipelineMetrics {
  private PipelineMetrics() {}

  public static void register(
      MeterRegistry registry, List<String> cameras, Supplier<PipelineStatus> status) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    for (String camera : cameras) {
      cameraCounter(registry, camera, "homenvr.camera.frames", status, CameraStatus::framesTotal);
      cameraCounter(
          registry, camera, "homenvr.camera.reconnects", status, CameraStatus::reconnects);
      cameraGauge(
          registry,
          camera,
          "homenvr.camera.streaming",
          status,
          c -> c.state() == CameraState.STREAMING ? 1 : 0);
      Gauge.builder(
              "homenvr.camera.last.frame.age",
              status,
              s -> {
                CameraStatus c = find(s.get(), camera);
                return c == null || c.lastFrameAt() == null
                    ? Double.NaN
                    : Duration.between(c.lastFrameAt(), s.get().time()).toMillis() / 1000.0;
              })
          .baseUnit("seconds")
          .tag("camera", camera)
          .register(registry);
      FunctionCounter.builder(
              "homenvr.recording.segments",
              status,
              s -> recordingValue(s.get(), camera, r -> r.segmentsTotal()))
          .tag("camera", camera)
          .register(registry);
      FunctionCounter.builder(
              "homenvr.recording.dropped.packets",
              status,
              s -> recordingValue(s.get(), camera, r -> r.droppedPackets()))
          .tag("camera", camera)
          .register(registry);
      Gauge.builder(
              "homenvr.recording.last.segment.age",
              status,
              s -> {
                PipelineStatus now = s.get();
                RecordingStatus r = now.recording(camera);
                return r == null || r.lastSegmentAt() == null
                    ? Double.NaN
                    : Duration.between(r.lastSegmentAt(), now.time()).toMillis() / 1000.0;
              })
          .baseUnit("seconds")
          .tag("camera", camera)
          .register(registry);
      Gauge.builder(
              "homenvr.recording.disk.full",
              status,
              s ->
                  recordingValue(
                      s.get(),
                      camera,
                      r ->
                          r.state() == RecordingState.DISK_FULL
                                  || r.state() == RecordingState.READ_ONLY
                              ? 1
                              : 0))
          .tag("camera", camera)
          .register(registry);
    }
    FunctionCounter.builder("homenvr.analysis.ticks", status, s -> s.get().analysis().ticksTotal())
        .register(registry);
    FunctionCounter.builder(
            "homenvr.motion.events", status, s -> s.get().analysis().motionEventsTotal())
        .register(registry);
    FunctionCounter.builder(
            "homenvr.vision.requests", status, s -> s.get().vision().requestsTotal())
        .register(registry);
    FunctionCounter.builder(
            "homenvr.vision.failures", status, s -> s.get().vision().failuresTotal())
        .register(registry);
    Gauge.builder(
            "homenvr.vision.llm.mode", status, s -> "llm".equals(s.get().vision().mode()) ? 1 : 0)
        .register(registry);
    FunctionCounter.builder("homenvr.alerts.sent", status, s -> s.get().alerts().sent())
        .register(registry);
    FunctionCounter.builder("homenvr.alerts.failed", status, s -> s.get().alerts().failed())
        .register(registry);
    Gauge.builder(
            "homenvr.mqtt.connected",
            status,
            s -> s.get().mqtt() == null ? Double.NaN : s.get().mqtt().connected() ? 1 : 0)
        .register(registry);
    Gauge.builder(
            "homenvr.threads.deadlocked", status, s -> s.get().process().deadlockedThreads().size())
        .register(registry);
  }

  private static void cameraCounter(
      MeterRegistry registry,
      String camera,
      String name,
      Supplier<PipelineStatus> status,
      ToDoubleFunction<CameraStatus> value) {
    FunctionCounter.builder(name, status, s -> valueOf(s.get(), camera, value))
        .tag("camera", camera)
        .register(registry);
  }

  private static void cameraGauge(
      MeterRegistry registry,
      String camera,
      String name,
      Supplier<PipelineStatus> status,
      ToDoubleFunction<CameraStatus> value) {
    Gauge.builder(name, status, s -> valueOf(s.get(), camera, value))
        .tag("camera", camera)
        .register(registry);
  }

  private static double valueOf(
      PipelineStatus status, String camera, ToDoubleFunction<CameraStatus> value) {
    CameraStatus c = find(status, camera);
    return c == null ? Double.NaN : value.applyAsDouble(c);
  }

  private static double recordingValue(
      PipelineStatus status, String camera, ToDoubleFunction<RecordingStatus> value) {
    RecordingStatus r = status.recording(camera);
    return r == null ? Double.NaN : value.applyAsDouble(r);
  }

  private static CameraStatus find(PipelineStatus status, String camera) {
    return status.cameras().stream().filter(c -> c.name().equals(camera)).findFirst().orElse(null);
  }
}
