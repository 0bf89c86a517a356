package io.homenvr.pipeline.status;

import io.homenvr.pipeline.alert.AlertStatus;
import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.motion.AnalysisStatus;
import io.homenvr.pipeline.mqtt.MqttStatus;
import io.homenvr.pipeline.recording.EventOffloader;
import io.homenvr.pipeline.recording.RecordingStatus;
import io.homenvr.pipeline.storage.StorageStatus;
import io.homenvr.pipeline.vision.VisionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything {@code /status} reports (docs/status-contract.md), read without blocking anyone. */
public record PipelineStatus(
    Instant time,
    Instant startedAt,
    List<CameraStatus> cameras,
    AnalysisStatus analysis,
    VisionStatus vision,
    AlertStatus alerts,
    ProcessStatus process,
    StorageStatus storage,
    Map<String, RecordingStatus> recordings,
    EventOffloader.Status offload,
    MqttStatus mqtt) {

  /** A camera's recorder, or null when it is not recorded. */
  public RecordingStatus recording(String camera) {
    return recordings.get(camera);
  }
}
