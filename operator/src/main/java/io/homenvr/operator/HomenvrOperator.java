package io.homenvr.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.config.OperatorConfig;
import io.homenvr.operator.dependent.PipelineDefaults;
import io.homenvr.operator.escalation.RecoveryController;
import io.homenvr.operator.events.EventRecorder;
import io.homenvr.operator.health.PipelineEndpointResolver;
import io.homenvr.operator.http.OperatorHttpServer;
import io.homenvr.operator.metrics.OperatorMetrics;
import io.homenvr.operator.reconciler.CameraMonitorReconciler;
import io.homenvr.operator.status.StatusAggregator;
import io.homenvr.operator.status.StatusWriter;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads its settings, wires the reconciler, serves /healthz, /readyz and
 * /metrics, and stops the operator cleanly on SIGTERM. Tests start it the same way, against a real
 * kube-apiserver.
 */
public final class HomenvrOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HomenvrOperator.class);

  private final Operator operator;
  private final RecoveryController recovery;
  private final OperatorHttpServer http;
  private final AtomicBoolean stopping;

  private HomenvrOperator(
      Operator operator,
      RecoveryController recovery,
      OperatorHttpServer http,
      AtomicBoolean stopping) {
    this.operator = operator;
    this.recovery = recovery;
    this.http = http;
    this.stopping = stopping;
  }

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.print(OperatorConfig.usage());
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // fabric8's usual resolution: in-cluster service account, else KUBECONFIG, else ~/.kube/config
    KubernetesClient client = new KubernetesClientBuilder().build();
    try {
      HomenvrOperator running = start(config, client, Clock.systemUTC());
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
    } catch (Exception e) {
      log.error("homenvr-operator could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /** Starts the operator and its HTTP endpoints; {@link #close()} stops both. */
  public static HomenvrOperator start(OperatorConfig config, KubernetesClient client, Clock clock)
      throws IOException {
    log.info(
        "homenvr-operator {} starting: {}, leader election {}, http port {}, default pipeline"
            + " image {}, default AI-fix image {}",
        OperatorConfig.projectVersion(),
        config.watchesAllNamespaces()
            ? "watching all namespaces"
            : "watching namespaces " + config.watchNamespaces(),
        config.leaderElection() ? "on (Lease " + config.leaseName() + ")" : "off",
        config.httpPort(),
        config.pipelineImage(),
        config.aiFixImage());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(registry);
    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator = new Operator(o -> configure(o, config, client, registry, stopping));
    EventRecorder events = new EventRecorder(client, clock, metrics, config.identity());
    StatusWriter writer = new StatusWriter(client, registry);
    RecoveryController recovery =
        RecoveryController.create(
            client,
            clock,
            events,
            registry,
            PipelineEndpointResolver.serviceDns(),
            config.aiFixImage(),
            writer);
    operator.register(
        new CameraMonitorReconciler(
            new PipelineDefaults(config.pipelineImage()),
            new StatusAggregator(clock),
            writer,
            events,
            metrics,
            Optional.of(recovery)),
        controller -> watchNamespaces(controller, config));
    OperatorHttpServer http =
        new OperatorHttpServer(config.bindAddress(), config.httpPort(), operator, registry).start();
    try {
      operator.start();
    } catch (RuntimeException e) {
      http.close();
      recovery.close();
      throw e;
    }
    return new HomenvrOperator(operator, recovery, http, stopping);
  }

  /** JOSDK's reconcile and workflow pools, each. */
  static final int RECONCILE_THREADS = 8;

  private static void configure(
      ConfigurationServiceOverrider overrider,
      OperatorConfig config,
      KubernetesClient client,
      PrometheusMeterRegistry registry,
      AtomicBoolean stopping) {
    overrider
        .withKubernetesClient(client)
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
        // server-side apply for the dependents and for status (JOSDK's defaults, said out loud):
        // each writer owns its fields under its own field manager, and a field someone else set
        // (an HPA, kubectl annotate, a mutating webhook) is not fought over
        .withSSABasedCreateUpdateMatchForDependentResources(true)
        .withUseSSAToPatchPrimaryResource(true)
        // JOSDK's default of 50 threads each is sized for a busy cluster; a reconcile here takes
        // milliseconds (one status write, at most one pod delete), and every idle thread costs a
        // home server's memory (the scale bench: 500 CameraMonitors, 50 checks a second)
        .withConcurrentReconciliationThreads(RECONCILE_THREADS)
        .withConcurrentWorkflowExecutorThreads(RECONCILE_THREADS);
    if (config.leaderElection()) {
      var leaderElection =
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.leaseName())
              .withIdentity(config.identity())
              // JOSDK's own exit would also fire on a normal stop, inside the shutdown hook,
              // where System.exit blocks forever; exit only when leadership is really lost
              .withExitOnStopLeading(false)
              .withLeaderCallbacks(
                  new LeaderCallbacks(
                      () -> log.info("{} leads: reconciling", config.identity()),
                      () -> exitUnlessStopping(stopping),
                      leader -> log.info("leader is {}", leader)));
      config.leaseNamespace().ifPresent(leaderElection::withLeaseNamespace);
      overrider.withLeaderElectionConfiguration(leaderElection.build());
    }
  }

  /** Another replica may already reconcile: stop at once (the shutdown hook still runs). */
  private static void exitUnlessStopping(AtomicBoolean stopping) {
    if (stopping.get()) {
      return;
    }
    log.error("lost leadership of the Lease: exiting so that only one replica reconciles");
    new Thread(() -> System.exit(1), "exit-on-lost-leadership").start();
  }

  private static void watchNamespaces(
      ControllerConfigurationOverrider<CameraMonitor> controller, OperatorConfig config) {
    if (config.watchesAllNamespaces()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(config.watchNamespaces());
    }
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * Stops reconciling (in-flight reconciliations may finish; the health observer's threads stop
   * with its event source), then the health loop's own threads and the HTTP endpoints.
   */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) {
      return;
    }
    log.info("homenvr-operator stopping");
    operator.stop();
    recovery.close();
    http.close();
  }
}
