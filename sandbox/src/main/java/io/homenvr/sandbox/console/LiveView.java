package io.homenvr.sandbox.console;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.sandbox.fakes.FakeTelegram;
import io.homenvr.sandbox.system.SandboxSystem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The few lines a user watches: phase, each camera, restarts, pods, the last report. */
public final class LiveView {
  private LiveView() {}

  public static String render(SandboxSystem system) {
    Optional<CameraMonitor> monitor = system.monitor();
    StringBuilder view = new StringBuilder();
    if (monitor.isEmpty()) {
      return "cammon/" + SandboxSystem.MONITOR + ": not applied";
    }
    CameraMonitorStatus status = monitor.get().getStatus();
    if (status == null) {
      return "cammon/" + SandboxSystem.MONITOR + ": no status yet (is the operator running?)";
    }
    view.append("cammon/")
        .append(SandboxSystem.MONITOR)
        .append("  phase ")
        .append(status.getPhase())
        .append("  restarts ")
        .append(status.getRecovery() == null ? 0 : status.getRecovery().getRestarts())
        .append("  stage ")
        .append(status.getRecovery() == null ? "-" : status.getRecovery().getStage());
    if (status.getMessage() != null) {
      view.append("\n  ").append(status.getMessage());
    }
    List<CameraStatus> cameras = status.getCameras() == null ? List.of() : status.getCameras();
    view.append("\n  cameras: ")
        .append(
            cameras.stream()
                .map(
                    c ->
                        c.getName()
                            + " "
                            + c.getState()
                            + (c.getFps() == null ? "" : " %.1f fps".formatted(c.getFps())))
                .collect(Collectors.joining(", ")));
    view.append("\n  simulated: ")
        .append(
            system.cameras().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().state())
                .collect(Collectors.joining(", ")))
        .append(", ollama ")
        .append(system.ollama().running() ? "up" : "down")
        .append(", telegram ")
        .append(system.telegram().mode().name().toLowerCase())
        .append(", operator ")
        .append(
            system.operatorFromChart()
                ? "from the chart (" + SandboxSystem.HELM_NAMESPACE + ")"
                : system.operator().running() ? "running" : "stopped");
    view.append("\n  pipeline pod: ")
        .append(
            system
                .pipelinePod()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPodIP())
                .orElse("none running"));
    List<FakeTelegram.Message> messages = system.telegram().delivered();
    if (!messages.isEmpty()) {
      FakeTelegram.Message last = messages.get(messages.size() - 1);
      String text = last.text().replace('\n', ' ');
      view.append("\n  last report: ")
          .append(text.length() > 110 ? text.substring(0, 110) + "…" : text);
    }
    return view.toString();
  }
}
