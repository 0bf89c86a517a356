package io.homenvr.operator.health;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.names.CameraMonitorResources;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline pods of every watched namespace, from one informer (list once, then watch) instead
 * of a LIST per health check. Only homenvr's pipeline pods are cached, without their {@code
 * managedFields}. Pod changes trigger no reconcile: the health observer reads the cache when it
 * checks.
 *
 * <p>A pod the operator has just deleted may still look alive in the cache for as long as the watch
 * takes to deliver the deletion: until it does (or for {@link #DELETION_EXPECTED} at most), such a
 * pod is not taken for the pipeline, as a LIST right after the delete would have shown it
 * terminating. So the ladder never mistakes it for a pod that outlived its restart.
 */
public final class PipelinePods {
  public static final String EVENT_SOURCE_NAME = "pipeline-pods";

  /** Pipeline pods of any CameraMonitor, and nothing else homenvr or anyone else runs. */
  static final String SELECTOR =
      CameraMonitorResources.LABEL_NAME
          + "="
          + CameraMonitorResources.PIPELINE_APP
          + ","
          + CameraMonitorResources.MANAGED_SELECTOR;

  /** How long a deleted pod is hidden at most while the watch has not shown it terminating. */
  static final Duration DELETION_EXPECTED = Duration.ofMinutes(1);

  private static final String BY_INSTANCE = "homenvr.io/pipeline-instance";

  private final Clock clock;

  /** namespace/name of pods the operator deleted → when; until the cache shows them going. */
  private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

  private volatile InformerEventSource<Pod, CameraMonitor> informer;

  public PipelinePods(Clock clock) {
    this.clock = clock;
  }

  /** The informer, in the controller's namespaces (and following their changes). */
  public InformerEventSource<Pod, CameraMonitor> eventSource(
      EventSourceContext<CameraMonitor> context) {
    var configuration =
        InformerEventSourceConfiguration.from(Pod.class, CameraMonitor.class)
            .withName(EVENT_SOURCE_NAME)
            .withLabelSelector(SELECTOR)
            .withItemStore(new WithoutManagedFields())
            // read by the observer at its own pace: a pod's status changes trigger nothing
            .withSecondaryToPrimaryMapper(pod -> Set.of())
            .build();
    InformerEventSource<Pod, CameraMonitor> source =
        new InformerEventSource<>(configuration, context);
    source.addIndexers(Map.of(BY_INSTANCE, pod -> List.of(instanceKey(pod))));
    informer = source;
    return source;
  }

  /**
   * The newest pod of the CameraMonitor's Deployment that is not on its way out; null when there is
   * none (or nothing is watched yet). A pod created before this CameraMonitor object belongs to a
   * deleted one of the same name (garbage collection takes a while): it is not this object's
   * pipeline.
   */
  public Pod current(CameraMonitor monitor) {
    InformerEventSource<Pod, CameraMonitor> pods = informer;
    if (pods == null) {
      return null;
    }
    Instant monitorCreated = Times.parse(monitor.getMetadata().getCreationTimestamp());
    Map<String, String> selector = CameraMonitorResources.selectorLabels(monitor);
    List<Pod> candidates =
        pods.byIndex(
            BY_INSTANCE,
            key(
                monitor.getMetadata().getNamespace(),
                selector.get(CameraMonitorResources.LABEL_INSTANCE)));
    forgetMetExpectations(pods);
    return candidates.stream()
        .filter(p -> labelled(p, selector))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> !deleted.containsKey(key(p)))
        .filter(p -> !createdBefore(p, monitorCreated))
        .max(
            Comparator.comparing(
                p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "")))
        .orElse(null);
  }

  /** The operator deleted these pods (names in {@code namespace}): they are no pipeline now. */
  public void deleted(String namespace, Collection<String> names) {
    Instant now = clock.instant();
    names.forEach(name -> deleted.put(key(namespace, name), now));
  }

  /** Expectations the cache has met (the pod is terminating or gone), or that waited too long. */
  private void forgetMetExpectations(InformerEventSource<Pod, CameraMonitor> pods) {
    if (deleted.isEmpty()) {
      return;
    }
    Instant expired = clock.instant().minus(DELETION_EXPECTED);
    deleted
        .entrySet()
        .removeIf(e -> e.getValue().isBefore(expired) || goingOrGone(pods, e.getKey()));
  }

  private static boolean goingOrGone(InformerEventSource<Pod, CameraMonitor> pods, String key) {
    int slash = key.indexOf('/');
    return pods.get(new ResourceID(key.substring(slash + 1), key.substring(0, slash)))
        .map(pod -> pod.getMetadata().getDeletionTimestamp() != null)
        .orElse(true);
  }

  private static boolean labelled(Pod pod, Map<String, String> selector) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static boolean createdBefore(Pod pod, Instant monitorCreated) {
    Instant podCreated = Times.parse(pod.getMetadata().getCreationTimestamp());
    return monitorCreated != null && podCreated != null && podCreated.isBefore(monitorCreated);
  }

  private static String instanceKey(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return key(
        pod.getMetadata().getNamespace(),
        labels == null ? "" : labels.get(CameraMonitorResources.LABEL_INSTANCE));
  }

  private static String key(Pod pod) {
    return key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /**
   * The informer's store: managed fields are the largest part of a pod as the API server sends it
   * and nothing here reads them.
   */
  private static final class WithoutManagedFields extends BasicItemStore<Pod> {
    WithoutManagedFields() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Pod put(String key, Pod pod) {
      pod.getMetadata().setManagedFields(null);
      return super.put(key, pod);
    }
  }
}
