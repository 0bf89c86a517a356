package io.homenvr.pipeline.recording;

import io.homenvr.pipeline.config.PipelineConfig.RecordMode;
import java.time.Instant;
import java.util.List;

/** One camera's recorder, for /status, /metrics and the page. */
public record RecordingStatus(
    RecordMode mode,
    RecordingState state,
    int segmentSeconds,
    Instant lastSegmentAt,
    long segmentsTotal,
    double bytesPerSecond,
    long droppedPackets,
    String lastError,
    List<Gap> gaps) {}
