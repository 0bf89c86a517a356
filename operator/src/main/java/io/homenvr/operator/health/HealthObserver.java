package io.homenvr.operator.health;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Looks at one CameraMonitor's pipeline every {@code checkIntervalSeconds}, on the polling event
 * source's own threads (never a reconcile thread): pod and container state, node pressure, the
 * {@code /status} heartbeat, the log tail, CPU and the vision server. Every call has a timeout; a
 * failed call becomes a fact in the {@link Observation}, never an exception.
 *
 * <p>A full check asks the API server two things: the log tail and the pod's CPU (metrics.k8s.io).
 * The pod comes from an informer's cache ({@link PipelinePods}) and node pressure from a reading
 * shared by all checks ({@link NodePressure}, one GET per node every 30 s at most), so the API
 * server's load grows by two requests per check interval per CameraMonitor.
 *
 * <p>Between two full checks the heartbeat alone is probed every {@link #probeInterval} (one HTTP
 * GET to the pipeline, nothing asked of the API server): while it answers and its cameras' frames
 * are fresh, the last check stands and nothing is reconciled; the first probe that finds the
 * pipeline silent or a camera's frames stale makes the full check at once. So a wedged pipeline is
 * judged within {@code probeInterval + 2 × httpTimeout} (it must have failed to answer twice)
 * rather than up to a whole check interval later, at no cost to the API server.
 */
public class HealthObserver
    implements PerResourcePollingEventSource.ResourceFetcher<Observation, CameraMonitor> {
  public static final String EVENT_SOURCE_NAME = "health-observer";

  /** Prefix of the observer's thread names (followed by a number). */
  public static final String THREAD_NAME = "health-observer-";

  /**
   * Checks and probes block on the network (API server, kubelet, pipeline; up to 3 s each when a
   * pipeline hangs), so threads, not CPU, bound how many CameraMonitors are checked on time: with
   * 2, checks fell behind from 100 CameraMonitors on and every one of 250 was late
   * (bench/README.md, "Operator at scale"). Idle threads cost little memory.
   */
  static final int THREADS = 16;

  static final int LOG_LINES = 200;

  /** A log read waits this long for the API server (and, behind it, the kubelet). */
  static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final KubernetesClient client;
  private final HttpClient http;
  private final PipelineEndpointResolver endpoints;
  private final Clock clock;
  private final PipelinePods pods;
  private final NodePressure nodes;

  /**
   * The last observation per CameraMonitor object, keyed by its {@code metadata.uid}: one deleted
   * and re-created under the same name starts without the old one's observation.
   */
  private final Map<String, Observation> last = new ConcurrentHashMap<>();

  public HealthObserver(
      KubernetesClient client, HttpClient http, PipelineEndpointResolver endpoints, Clock clock) {
    this.client = client;
    this.http = http;
    this.endpoints = endpoints;
    this.clock = clock;
    this.pods = new PipelinePods(clock);
    this.nodes = new NodePressure(client, clock);
  }

  /**
   * The event sources of the health checks: the informer on the pipeline pods they read, and the
   * one that runs this observer and triggers a reconcile with each observation; when a
   * CameraMonitor is deleted it forgets its last observation and tells {@code onDeleted}, so
   * per-object memory elsewhere goes with it.
   */
  public List<EventSource<?, CameraMonitor>> eventSources(
      EventSourceContext<CameraMonitor> context, Consumer<CameraMonitor> onDeleted) {
    return List.of(pods.eventSource(context), checks(context, onDeleted));
  }

  private PerResourcePollingEventSource<Observation, CameraMonitor, String> checks(
      EventSourceContext<CameraMonitor> context, Consumer<CameraMonitor> onDeleted) {
    return new PerResourcePollingEventSource<>(
        Observation.class,
        context,
        new PerResourcePollingConfigurationBuilder<Observation, CameraMonitor, String>(
                this, Duration.ofSeconds(10))
            .withName(EVENT_SOURCE_NAME)
            .withResourceIDMapper(observation -> "observation")
            // JOSDK shuts this executor down when the event source stops (operator stop)
            .withExecutorService(
                Executors.newScheduledThreadPool(THREADS, threadsNamed(THREAD_NAME)))
            .build()) {
      @Override
      public void onResourceDeleted(CameraMonitor monitor) {
        super.onResourceDeleted(monitor);
        forget(monitor.getMetadata().getUid());
        onDeleted.accept(monitor);
      }
    };
  }

  private static ThreadFactory threadsNamed(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> new Thread(r, prefix + count.incrementAndGet());
  }

  @Override
  public Set<Observation> fetchResources(CameraMonitor monitor) {
    String uid = monitor.getMetadata().getUid();
    Observation previous = uid == null ? null : last.get(uid);
    if (previous != null && !fullCheckDue(previous, monitor) && stillWorking(previous, monitor)) {
      return Set.of(previous); // the same observation: no event, no reconcile
    }
    Observation observation = remember(observe(monitor).withPrevious(previous), previous);
    if (uid != null) {
      last.put(uid, observation);
    }
    return Set.of(observation);
  }

  /** Drops what was remembered for the CameraMonitor object with this uid. */
  public void forget(String uid) {
    if (uid != null) {
      last.remove(uid);
    }
  }

  /** Carries "this pod was ready once" from check to check while the pod stays the same. */
  static Observation remember(Observation observation, Observation previous) {
    Observation.PodState pod = observation.pod();
    boolean samePod =
        previous != null && pod.exists() && Objects.equals(previous.pod().name(), pod.name());
    boolean wasReady =
        samePod && (previous.pod().wasReady() || Boolean.TRUE.equals(previous.pod().ready()));
    return wasReady ? observation.withPod(pod.rememberedReady()) : observation;
  }

  @Override
  public Optional<Duration> fetchDelay(Set<Observation> lastFetched, CameraMonitor monitor) {
    return Optional.of(probeInterval(monitor));
  }

  /** How often the heartbeat is probed: every 2 s, or every check when checks are that frequent. */
  static Duration probeInterval(CameraMonitor monitor) {
    return Duration.ofSeconds(Math.min(2, monitor.getSpec().getHealth().getCheckIntervalSeconds()));
  }

  /** The full check is due {@code checkIntervalSeconds} after the last one (less half a probe). */
  private boolean fullCheckDue(Observation previous, CameraMonitor monitor) {
    Instant due =
        previous
            .observedAt()
            .plusSeconds(monitor.getSpec().getHealth().getCheckIntervalSeconds())
            .minus(probeInterval(monitor).dividedBy(2));
    return !clock.instant().isBefore(due);
  }

  /**
   * The probe: true when the pipeline that answered the last check still answers and every camera
   * that was streaming has a frame younger than {@code frameStaleSeconds}. A pipeline already
   * silent at the last check waits for the next full check (it is being handled).
   */
  boolean stillWorking(Observation previous, CameraMonitor monitor) {
    if (!previous.heartbeat().reachable()) {
      return true;
    }
    Observation.HeartbeatResult probe = heartbeat(monitor, httpTimeout(monitor));
    if (!probe.reachable()) {
      return false;
    }
    Instant pipelineNow = Times.parse(probe.status().time());
    if (pipelineNow == null) {
      return true;
    }
    int staleSeconds = monitor.getSpec().getHealth().getFrameStaleSeconds();
    return probe.status().cameras().stream()
        .filter(c -> "STREAMING".equals(c.state()))
        .noneMatch(
            c -> HealthAssessor.stale(Times.parse(c.lastFrameAt()), pipelineNow, staleSeconds));
  }

  public Observation observe(CameraMonitor monitor) {
    Instant now = clock.instant();
    Duration timeout = httpTimeout(monitor);
    Pod pod = pods.current(monitor);
    Observation.PodState podState = podState(pod);
    boolean running = podState.containerRunning();
    return new Observation(
        now,
        podState,
        running
            ? heartbeat(monitor, timeout)
            : Observation.HeartbeatResult.unreachable("container not running"),
        running ? logs(pod) : Observation.LogTail.unavailable("container not running"),
        running ? cpuMillicores(pod) : null,
        vision(monitor.getSpec().getVision()),
        nodes.of(podState.nodeName()),
        null,
        monitor.getMetadata().getUid());
  }

  /** Fetch the thread dump for evidence; null when the pipeline does not answer. */
  public String threadDump(CameraMonitor monitor) {
    return get(endpoints.baseUrl(monitor).resolve("/threads"), httpTimeout(monitor)).orElse(null);
  }

  /**
   * Each call to the pipeline waits this long: 3 s (less when checks are more frequent). A pipeline
   * is taken for unreachable only after a probe and then the full check's own call both waited this
   * long, 6 s in all: longer than a garbage-collection pause of a healthy JVM.
   */
  static Duration httpTimeout(CameraMonitor monitor) {
    return Duration.ofSeconds(Math.min(3, monitor.getSpec().getHealth().getCheckIntervalSeconds()));
  }

  /** The operator deleted these pipeline pods: no check takes them for the pipeline any more. */
  public void deleted(String namespace, Collection<String> podNames) {
    pods.deleted(namespace, podNames);
  }

  static Observation.PodState podState(Pod pod) {
    if (pod == null) {
      return Observation.PodState.none();
    }
    var status = pod.getStatus();
    String phase = status == null ? null : status.getPhase();
    String unschedulable = null;
    if (status != null && status.getConditions() != null) {
      for (PodCondition condition : status.getConditions()) {
        if ("PodScheduled".equals(condition.getType())
            && "False".equals(condition.getStatus())
            && "Unschedulable".equals(condition.getReason())) {
          unschedulable = condition.getMessage() == null ? "Unschedulable" : condition.getMessage();
        }
      }
    }
    ContainerStatus container =
        status == null || status.getContainerStatuses() == null
            ? null
            : status.getContainerStatuses().stream()
                .filter(c -> CameraMonitorResources.PIPELINE_CONTAINER.equals(c.getName()))
                .findFirst()
                .orElse(
                    status.getContainerStatuses().isEmpty()
                        ? null
                        : status.getContainerStatuses().get(0));
    boolean running = false;
    Boolean ready = null;
    Instant startedAt = null;
    String waitingReason = null;
    String waitingMessage = null;
    String lastReason = null;
    Instant lastAt = null;
    int restarts = 0;
    if (container != null) {
      restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
      ready = container.getReady();
      if (container.getState() != null && container.getState().getRunning() != null) {
        running = true;
        startedAt = Times.parse(container.getState().getRunning().getStartedAt());
      }
      if (container.getState() != null && container.getState().getWaiting() != null) {
        waitingReason = container.getState().getWaiting().getReason();
        waitingMessage = container.getState().getWaiting().getMessage();
      }
      if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
        lastReason = container.getLastState().getTerminated().getReason();
        lastAt = Times.parse(container.getLastState().getTerminated().getFinishedAt());
      }
    }
    return new Observation.PodState(
        pod.getMetadata().getName(),
        phase,
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        running && "Running".equals(phase),
        startedAt,
        restarts,
        waitingReason,
        waitingMessage,
        lastReason,
        lastAt,
        unschedulable,
        Times.parse(pod.getMetadata().getCreationTimestamp()),
        ready,
        false);
  }

  private Observation.HeartbeatResult heartbeat(CameraMonitor monitor, Duration timeout) {
    URI url = endpoints.baseUrl(monitor).resolve("/status");
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Observation.HeartbeatResult.unreachable(
            "/status answered HTTP " + response.statusCode());
      }
      return Observation.HeartbeatResult.of(
          JSON.readValue(response.body(), PipelineHeartbeat.class), response.body());
    } catch (IOException e) {
      return Observation.HeartbeatResult.unreachable(
          e.getClass().getSimpleName() + " after at most " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Observation.HeartbeatResult.unreachable("interrupted");
    }
  }

  /**
   * One GET of the log API. fabric8's {@code getLog()} first waits for the pod to be Ready, with a
   * LIST and a watch of the pod of its own, whatever the wait's timeout: this asks for the log
   * alone, with the client's credentials.
   */
  private Observation.LogTail logs(Pod pod) {
    String path =
        "api/v1/namespaces/%s/pods/%s/log?container=%s&timestamps=true&tailLines=%d"
            .formatted(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                CameraMonitorResources.PIPELINE_CONTAINER,
                LOG_LINES);
    io.fabric8.kubernetes.client.http.HttpClient api = client.getHttpClient();
    try {
      var response =
          api.sendAsync(
                  api.newHttpRequestBuilder()
                      .uri(URLUtils.join(client.getMasterUrl().toString(), path))
                      .timeout(LOG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                      .build(),
                  String.class)
              .get(LOG_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (!response.isSuccessful()) {
        return Observation.LogTail.unavailable("log API: HTTP " + response.code());
      }
      return new Observation.LogTail(true, parseLog(response.body()), null);
    } catch (ExecutionException | TimeoutException e) {
      return Observation.LogTail.unavailable(
          "log API: "
              + (e instanceof ExecutionException ? e.getCause() : e).getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Observation.LogTail.unavailable("log API: interrupted");
    }
  }

  /** Kubernetes prefixes each line with an RFC 3339 timestamp and a space. */
  static List<Observation.LogLine> parseLog(String log) {
    List<Observation.LogLine> lines = new ArrayList<>();
    if (log == null) {
      return lines;
    }
    for (String raw : log.split("\n")) {
      if (raw.isBlank()) {
        continue;
      }
      int space = raw.indexOf(' ');
      Instant at = space > 0 ? Times.parse(raw.substring(0, space)) : null;
      lines.add(new Observation.LogLine(at, at == null ? raw : raw.substring(space + 1)));
    }
    return lines;
  }

  private Long cpuMillicores(Pod pod) {
    try {
      PodMetrics metrics =
          client
              .top()
              .pods()
              .metrics(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      BigDecimal cores = BigDecimal.ZERO;
      for (ContainerMetrics container : metrics.getContainers()) {
        var cpu = container.getUsage() == null ? null : container.getUsage().get("cpu");
        if (cpu != null) {
          cores = cores.add(cpu.getNumericalAmount());
        }
      }
      return cores.movePointRight(3).longValue();
    } catch (KubernetesClientException | IllegalArgumentException noMetrics) {
      return null; // no metrics-server: the assessor falls back to the heartbeat's CPU seconds
    }
  }

  private Observation.VisionCheck vision(VisionSpec vision) {
    if (vision == null || vision.getApi() != VisionSpec.Api.OLLAMA) {
      return Observation.VisionCheck.notChecked();
    }
    String base =
        vision.getEndpoint().endsWith("/") ? vision.getEndpoint() : vision.getEndpoint() + "/";
    Optional<String> tags = get(URI.create(base).resolve("api/tags"), Duration.ofSeconds(5));
    if (tags.isEmpty()) {
      return new Observation.VisionCheck(true, false, false, "GET /api/tags failed or timed out");
    }
    try {
      JsonNode models = JSON.readTree(tags.get()).path("models");
      Set<String> names = new java.util.HashSet<>();
      models.forEach(
          m -> {
            names.add(m.path("name").asText());
            names.add(m.path("model").asText());
          });
      String wanted = vision.getModel();
      boolean present =
          names.contains(wanted) || (!wanted.contains(":") && names.contains(wanted + ":latest"));
      return new Observation.VisionCheck(true, true, present, null);
    } catch (IOException e) {
      return new Observation.VisionCheck(true, false, false, "/api/tags is not Ollama's JSON");
    }
  }

  private Optional<String> get(URI url, Duration timeout) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
