package io.homenvr.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The only writer of a CameraMonitor's {@code .status}: one server-side apply of the whole status,
 * under one field manager, at most once per reconcile, and a read-your-writes view of it.
 *
 * <p>The informer's cache can lag behind a write: a reconcile that read the older copy would undo
 * the newer status (a report delivered twice, a restart counted again). {@link #current} therefore
 * returns what this writer last stored while the cache still shows a version that came before it,
 * per object uid, so an object re-created under the same name starts fresh.
 */
public class StatusWriter {
  /** The field manager of every status field (the controller's name). */
  public static final String FIELD_MANAGER = "cameramonitor";

  /**
   * The field manager earlier versions wrote the health loop's fields under. Its ownership is
   * released once per object (see {@link #releaseLegacyOwner}), so that a field the status no
   * longer carries is removed instead of kept alive by a manager nobody applies as any more.
   */
  static final String LEGACY_MANAGER = "homenvr-ladder";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final Counter writes;

  /**
   * What this writer stored last, for as long as the cache shows an older copy of it.
   *
   * @param versions the resourceVersion the first of a run of writes replaced and every version
   *     those writes produced: a cache at any of them knows less than (or as much as) {@code
   *     status}
   * @param latest the version the last write produced
   */
  private record Written(Set<String> versions, String latest, CameraMonitorStatus status) {}

  private final Map<String, Written> written = new ConcurrentHashMap<>();

  public StatusWriter(KubernetesClient client, MeterRegistry registry) {
    this.client = client;
    this.writes =
        Counter.builder("homenvr.status.writes")
            .description("Status writes (server-side applies of a CameraMonitor's status)")
            .register(registry);
  }

  /**
   * The status as it stands: the cached one, unless the cache has not yet seen what this writer
   * last stored. Always a copy the caller may edit.
   */
  public CameraMonitorStatus current(CameraMonitor monitor) {
    Written last = written.get(monitor.getMetadata().getUid());
    if (last != null && last.versions().contains(monitor.getMetadata().getResourceVersion())) {
      return JSON.clone(last.status());
    }
    return monitor.getStatus() == null
        ? new CameraMonitorStatus()
        : JSON.clone(monitor.getStatus());
  }

  /**
   * Stores {@code status} whole, unless it equals {@link #current}.
   *
   * @return false when nothing was written: no change, or the object is gone
   */
  public boolean write(CameraMonitor monitor, CameraMonitorStatus status) {
    if (StatusAggregator.same(current(monitor), status)) {
      return false;
    }
    CameraMonitor patched;
    try {
      patched = apply(monitor, FIELD_MANAGER, JSON.convertValue(status, Map.class));
      releaseLegacyOwner(monitor);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false; // deleted meanwhile
      }
      throw e;
    }
    writes.increment();
    remember(monitor, patched, status);
    return true;
  }

  /**
   * Outside a reconciliation (a graceful stop): reads the object fresh, applies {@code change} to
   * its status as it stands and writes it.
   *
   * @return false when the object is gone (or another of the same name) or nothing changed
   */
  public boolean update(CameraMonitor monitor, Consumer<CameraMonitorStatus> change) {
    CameraMonitor fresh =
        client
            .resources(CameraMonitor.class)
            .inNamespace(monitor.getMetadata().getNamespace())
            .withName(monitor.getMetadata().getName())
            .get();
    if (fresh == null
        || !Objects.equals(fresh.getMetadata().getUid(), monitor.getMetadata().getUid())) {
      return false;
    }
    CameraMonitorStatus status = current(fresh);
    change.accept(status);
    return write(fresh, status);
  }

  /** A deleted CameraMonitor's memory goes with it. */
  public void forget(CameraMonitor monitor) {
    written.remove(monitor.getMetadata().getUid());
  }

  private CameraMonitor apply(CameraMonitor monitor, String manager, Map<?, ?> status) {
    Map<String, Object> apply = new LinkedHashMap<>();
    apply.put("apiVersion", HasMetadata.getApiVersion(CameraMonitor.class));
    apply.put("kind", HasMetadata.getKind(CameraMonitor.class));
    apply.put(
        "metadata",
        Map.of(
            "name", monitor.getMetadata().getName(),
            "namespace", monitor.getMetadata().getNamespace()));
    apply.put("status", status);
    return client
        .resources(CameraMonitor.class)
        .inNamespace(monitor.getMetadata().getNamespace())
        .withName(monitor.getMetadata().getName())
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(manager)
                // the operator is the status' only writer: a conflict can only be a kubectl edit
                .withForce(true)
                .build(),
            JSON.asJson(apply));
  }

  /**
   * An object last written by an older operator still lists {@link #LEGACY_MANAGER} as an owner of
   * status fields. Applying an empty status under that manager gives up its ownership; every field
   * this writer just applied is co-owned by {@link #FIELD_MANAGER} and stays. Once per object.
   */
  private void releaseLegacyOwner(CameraMonitor monitor) {
    List<ManagedFieldsEntry> managed = monitor.getMetadata().getManagedFields();
    if (managed != null
        && managed.stream().anyMatch(m -> LEGACY_MANAGER.equals(m.getManager()))
        && !written.containsKey(monitor.getMetadata().getUid())) {
      apply(monitor, LEGACY_MANAGER, Map.of());
    }
  }

  private void remember(CameraMonitor monitor, CameraMonitor patched, CameraMonitorStatus status) {
    // a cache still at a version between two writes would otherwise bring back what the second
    // one replaced
    String uid = monitor.getMetadata().getUid();
    String cached = monitor.getMetadata().getResourceVersion();
    Set<String> versions = new HashSet<>();
    Written before = written.get(uid);
    if (before != null
        && before.versions().contains(cached)
        && !cached.equals(before.latest())) { // a cache at our latest write has caught up
      versions.addAll(before.versions());
    }
    versions.add(cached);
    String latest = patched == null ? cached : patched.getMetadata().getResourceVersion();
    versions.add(latest);
    written.put(uid, new Written(Set.copyOf(versions), latest, JSON.clone(status)));
  }
}
