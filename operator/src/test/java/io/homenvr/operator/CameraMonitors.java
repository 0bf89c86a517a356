package io.homenvr.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import java.util.ArrayList;
import java.util.List;

/** Sample CameraMonitors for tests. */
public final class CameraMonitors {
  private CameraMonitors() {}

  /** Two cameras, the gate one with credentials in Secret {@code gate-cam}. */
  public static CameraMonitor home(String namespace) {
    CameraMonitor monitor = new CameraMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName("home").withNamespace(namespace).build());
    CameraMonitorSpec spec = new CameraMonitorSpec();
    CameraSpec gate = camera("gate", "rtsp://192.168.0.50:554/stream1");
    CredentialsRef credentials = new CredentialsRef();
    credentials.setName("gate-cam");
    gate.setCredentialsSecretRef(credentials);
    spec.setCameras(new ArrayList<>(List.of(gate, camera("yard", "rtsp://192.168.0.51/live"))));
    monitor.setSpec(spec);
    return monitor;
  }

  public static CameraSpec camera(String name, String url) {
    CameraSpec camera = new CameraSpec();
    camera.setName(name);
    camera.setUrl(url);
    return camera;
  }
}
