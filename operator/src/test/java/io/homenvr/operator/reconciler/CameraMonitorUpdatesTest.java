package io.homenvr.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.operator.escalation.testing.Monitors;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which updates of a CameraMonitor start a reconcile. */
class CameraMonitorUpdatesTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final CameraMonitorUpdates filter = new CameraMonitorUpdates();
  private CameraMonitor old;

  @BeforeEach
  void setUp() {
    old = Monitors.monitor("gate");
    old.setStatus(new CameraMonitorStatus());
  }

  private CameraMonitor copy() {
    return JSON.clone(old);
  }

  private static Overrides image(String image) {
    Overrides overrides = new Overrides();
    overrides.setPipelineImage(image);
    return overrides;
  }

  @Test
  void aSpecChangeIsReconciled() {
    CameraMonitor updated = copy();
    updated.getMetadata().setGeneration(2L);
    assertThat(filter.accept(updated, old)).isTrue();
  }

  @Test
  void aStatusWriteThatLeavesTheOverridesAloneIsNot() {
    CameraMonitor updated = copy();
    updated.getStatus().setLastCheckTime("2026-03-01T12:00:00Z");
    updated.getMetadata().setAnnotations(Map.of("homenvr.io/ack", "1"));
    assertThat(filter.accept(updated, old)).isFalse();
  }

  @Test
  void anOverrideAppliedOrClearedInStatusIs() {
    CameraMonitor updated = copy();
    updated.getStatus().setOverrides(image("reg/pipeline:fix"));
    assertThat(filter.accept(updated, old)).as("applied").isTrue();
    assertThat(filter.accept(old, updated)).as("cleared").isTrue();
  }

  @Test
  void theRevertAnnotationIs() {
    CameraMonitor updated = copy();
    updated.getMetadata().setAnnotations(Map.of("homenvr.io/revert-override", "true"));
    assertThat(filter.accept(updated, old)).isTrue();
  }

  @Test
  void markingForDeletionIs() {
    CameraMonitor updated = copy();
    updated.getMetadata().setDeletionTimestamp("2026-03-01T12:00:00Z");
    assertThat(filter.accept(updated, old)).isTrue();
  }
}
