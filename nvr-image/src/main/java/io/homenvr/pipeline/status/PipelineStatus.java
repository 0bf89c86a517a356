package io.homenvr.pipeline.status;

import io.homenvr.pipeline.alert.AlertStatus;
import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.motion.AnalysisStatus;
import io.homenvr.pipeline.storage.StorageStatus;
import io.homenvr.pipeline.vision.VisionStatus;
import java.time.Instant;
import java.util.List;

/** Everything {@code /status} reports (docs/status-contract.md), read without blocking anyone. */
public record PipelineStatus(
    Instant time,
    Instant startedAt,
    List<CameraStatus> cameras,
    AnalysisStatus analysis,
    VisionStatus vision,
    AlertStatus alerts,
    ProcessStatus process,
    StorageStatus storage) {}
