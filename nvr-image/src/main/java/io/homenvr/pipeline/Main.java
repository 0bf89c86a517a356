package io.homenvr.pipeline;

import io.homenvr.pipeline.alert.AlertDispatcher;
import io.homenvr.pipeline.capture.CameraStream;
import io.homenvr.pipeline.capture.CaptureTimings;
import io.homenvr.pipeline.capture.RecordingSource;
import io.homenvr.pipeline.capture.Snapshot;
import io.homenvr.pipeline.config.ConfigException;
import io.homenvr.pipeline.config.ConfigLoader;
import io.homenvr.pipeline.config.PipelineConfig;
import io.homenvr.pipeline.config.PipelineConfig.CameraConfig;
import io.homenvr.pipeline.config.PipelineConfig.VisionConfig;
import io.homenvr.pipeline.motion.AnalysisLoop;
import io.homenvr.pipeline.mqtt.CameraReport;
import io.homenvr.pipeline.mqtt.MqttPublisher;
import io.homenvr.pipeline.recording.EventOffloader;
import io.homenvr.pipeline.recording.Recorder;
import io.homenvr.pipeline.recording.RecordingIndex;
import io.homenvr.pipeline.recording.RecordingRetention;
import io.homenvr.pipeline.recording.RecordingState;
import io.homenvr.pipeline.recording.RecordingStatus;
import io.homenvr.pipeline.recording.Recordings;
import io.homenvr.pipeline.status.PipelineMetrics;
import io.homenvr.pipeline.status.PipelineStatus;
import io.homenvr.pipeline.status.ProcessProbe;
import io.homenvr.pipeline.status.StatusServer;
import io.homenvr.pipeline.status.SummaryLine;
import io.homenvr.pipeline.storage.FileSystemDiskSpace;
import io.homenvr.pipeline.storage.RetentionPolicy;
import io.homenvr.pipeline.storage.SnapshotStore;
import io.homenvr.pipeline.vision.CircuitBreaker;
import io.homenvr.pipeline.vision.HogPersonDetector;
import io.homenvr.pipeline.vision.HttpVisionClient;
import io.homenvr.pipeline.vision.VisionClient;
import io.homenvr.pipeline.vision.VisionService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the config and wires the stages together; all behaviour lives in the packages. */
public final class Main implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final Path DEFAULT_CONFIG = Path.of("/etc/homenvr/pipeline.yaml");

  /** Vision LLM breaker: three failures in a row open it, a trial call after 30 s. */
  private static final int BREAKER_THRESHOLD = 3;

  private static final Duration BREAKER_OPEN_FOR = Duration.ofSeconds(30);
  private static final Duration RETENTION_INTERVAL = Duration.ofMinutes(1);

  private final Map<String, CameraStream> cameras = new LinkedHashMap<>();
  private final Map<String, Recorder> recorders = new LinkedHashMap<>();
  private final RecordingRetention recordingRetention;
  private final EventOffloader offloader;
  private final List<RecordingSource> recordingSources = new ArrayList<>();
  private final SnapshotStore store;
  private final AlertDispatcher alerts;
  private final VisionService vision;
  private final AnalysisLoop analysis;
  private final StatusServer server;
  private final MqttPublisher mqtt; // null without an mqtt block
  private final ScheduledExecutorService housekeeping;
  private final ScheduledExecutorService offloading =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "offload");
            thread.setDaemon(true);
            return thread;
          });

  public Main(PipelineConfig config, Clock clock, CaptureTimings timings) throws IOException {
    Instant startedAt = clock.instant();
    Path dataDir = config.storage().dataDir();
    requireWritable(dataDir);
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "housekeeping");
              thread.setDaemon(true);
              return thread;
            });
    Path recordings = dataDir.resolve("recordings");
    FileSystemDiskSpace disk = new FileSystemDiskSpace();
    List<Recorder> recording = new ArrayList<>();
    for (CameraConfig camera : config.cameras()) {
      if (camera.record().enabled()) {
        RecordingIndex index = new RecordingIndex(recordings, camera.name());
        index.load();
        Recorder recorder =
            new Recorder(camera.name(), camera.record(), index, clock, this::makeRoom);
        recorders.put(camera.name(), recorder);
        recording.add(recorder);
      }
    }
    recordingRetention =
        new RecordingRetention(recording, recordings, config.storage(), disk, clock);
    offloader =
        config
            .storage()
            .offload()
            .map(o -> new EventOffloader(recording, o.dir(), o.retain(), clock))
            .orElse(null);
    for (CameraConfig camera : config.cameras()) {
      Recorder recorder = recorders.get(camera.name());
      if (recorder != null && camera.record().recordUrl().isPresent()) {
        // the main stream is recorded by a demux-only reader; detection reads the sub-stream
        recordingSources.add(new RecordingSource(camera, timings, recorder));
        recorder = null;
      }
      cameras.put(camera.name(), new CameraStream(camera, clock, timings, recorder));
    }
    store = new SnapshotStore(dataDir, RetentionPolicy.of(config.storage()), clock, disk);
    alerts =
        new AlertDispatcher(
            store,
            config.alerts().telegram(),
            AlertDispatcher.Delivery.DEFAULTS,
            clock,
            ZoneId.systemDefault());
    mqtt =
        config
            .mqtt()
            .map(
                m ->
                    new MqttPublisher(
                        m,
                        List.copyOf(cameras.keySet()),
                        this::cameraReports,
                        MqttPublisher.Timings.DEFAULTS,
                        clock))
            .orElse(null);
    Optional<VisionConfig> visionConfig = config.vision();
    vision =
        new VisionService(
            visionConfig.map(v -> (VisionClient) new HttpVisionClient(v)),
            visionConfig.map(VisionConfig::api),
            new HogPersonDetector(),
            new CircuitBreaker(clock, BREAKER_THRESHOLD, BREAKER_OPEN_FOR),
            visionConfig.map(VisionConfig::maxConcurrent).orElse(1),
            visionConfig.map(VisionConfig::queueSize).orElse(8),
            alert -> {
              Recorder recorder = recorders.get(alert.camera());
              if (recorder != null) {
                recorder.markEvent(alert.at(), "alert"); // an alert outranks the motion before it
              }
              alerts.raise(alert);
            },
            (event, verdict) -> {
              if (mqtt != null) {
                mqtt.detected(event.camera(), event.at(), verdict, event.photoJpeg());
              }
            },
            clock);
    analysis =
        new AnalysisLoop(
            config.cameras(),
            camera -> cameras.get(camera).latestGrey(),
            camera -> cameras.get(camera).requestFullFrame(),
            camera -> cameras.get(camera).motionSeen(),
            vision::busyWith,
            event -> {
              Recorder recorder = recorders.get(event.camera());
              if (recorder != null) {
                recorder.markEvent(event.at(), "motion");
              }
              if (mqtt != null) {
                mqtt.motion(event.camera());
              }
              vision.submit(event);
            },
            config.alerts().cooldown(),
            clock);
    ProcessProbe process = new ProcessProbe();
    Supplier<PipelineStatus> status =
        () ->
            new PipelineStatus(
                clock.instant(),
                startedAt,
                cameras.values().stream().map(CameraStream::status).toList(),
                analysis.status(),
                vision.status(),
                alerts.status(),
                process.status(),
                store.status(),
                recordingStatuses(),
                offloader == null ? null : offloader.status(),
                mqtt == null ? null : mqtt.status());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics.register(registry, List.copyOf(cameras.keySet()), status);
    server =
        new StatusServer(
            new InetSocketAddress(config.server().bindAddress(), config.server().port()),
            status,
            this::latestSnapshot,
            registry,
            process,
            new Recordings(recorders, recordings));
    server.start();
    if (mqtt != null) {
      mqtt.start();
    }
    recorders.values().forEach(Recorder::start);
    recordingSources.forEach(RecordingSource::start);
    cameras.values().forEach(CameraStream::start);
    analysis.start();
    housekeeping.scheduleWithFixedDelay(
        store::sweep, 0, RETENTION_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(
        recordingRetention::sweep, 0, RETENTION_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    if (offloader != null) {
      // its own thread: a hung NAS mount must not hold up retention or snapshots
      offloading.scheduleWithFixedDelay(
          offloader::run,
          RETENTION_INTERVAL.toSeconds(),
          RETENTION_INTERVAL.toSeconds(),
          TimeUnit.SECONDS);
    }
    long summary = config.summaryInterval().toSeconds();
    housekeeping.scheduleAtFixedRate(
        () -> log.info(SummaryLine.format(status.get())), summary, summary, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    Path configFile = DEFAULT_CONFIG;
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        System.err.println("usage: homenvr-pipeline [--config pipeline.yaml]");
        System.exit(2);
      }
    }
    PipelineConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(2);
      return;
    }
    log.info(
        "homenvr pipeline starting: {} camera(s) {}, vision {}, telegram {}, mqtt {}",
        config.cameras().size(),
        config.cameras().stream().map(PipelineConfig.CameraConfig::name).toList(),
        config.vision().map(Object::toString).orElse("not configured (local person detector)"),
        config.alerts().telegram().isPresent() ? "configured" : "not configured",
        config.mqtt().map(Object::toString).orElse("not configured"));
    Main pipeline;
    try {
      pipeline = new Main(config, Clock.systemUTC(), CaptureTimings.DEFAULTS);
    } catch (ConfigException e) {
      log.error(e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pipeline.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }

  /**
   * Fails at start, in one line, when the data directory cannot be written: carrying on would lose
   * every recording and snapshot silently.
   */
  static void requireWritable(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path probe = Files.createTempFile(dataDir, ".write-test", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new ConfigException(
          "storage.dataDir: "
              + dataDir
              + " is not writable ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); mount a writable volume there (the pod's data PVC) or fix its permissions");
    }
  }

  /** A recorder found the disk full: run retention now rather than at the next minute. */
  private void makeRoom() {
    housekeeping.execute(recordingRetention::sweep);
  }

  private Map<String, RecordingStatus> recordingStatuses() {
    Map<String, RecordingStatus> statuses = new LinkedHashMap<>();
    recorders.forEach((camera, recorder) -> statuses.put(camera, recorder.status()));
    return statuses;
  }

  private List<CameraReport> cameraReports() {
    List<CameraReport> reports = new ArrayList<>();
    for (CameraStream camera : cameras.values()) {
      var status = camera.status();
      Recorder recorder = recorders.get(camera.name());
      boolean recording = recorder != null && recorder.status().state() == RecordingState.RECORDING;
      reports.add(new CameraReport(status.name(), status.state(), status.fps(), recording));
    }
    return reports;
  }

  public int statusPort() {
    return server.port();
  }

  private Snapshot latestSnapshot(String camera) {
    CameraStream stream = cameras.get(camera);
    return stream == null ? null : stream.latestSnapshot();
  }

  /** Stops every camera in parallel (each honours its flag within a second), then the stages. */
  @Override
  public void close() {
    log.info("homenvr pipeline stopping");
    if (mqtt != null) {
      mqtt.close(); // 'offline' first, while the cameras still stream
    }
    cameras.values().forEach(CameraStream::requestStop);
    for (CameraStream camera : cameras.values()) {
      try {
        if (!camera.stop(Duration.ofSeconds(2))) {
          log.warn("camera={} did not stop within 2 s", camera.name());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (RecordingSource source : recordingSources) {
      try {
        source.stop(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    recorders.values().forEach(Recorder::close); // finishes and renames each open segment
    analysis.close();
    vision.close();
    alerts.close();
    housekeeping.shutdownNow();
    offloading.shutdownNow();
    server.close();
  }
}
