package io.homenvr.pipeline.capture;

import io.homenvr.pipeline.config.PipelineConfig.DecodeMode;
import java.time.Instant;

/**
 * A consistent-enough copy of one camera's counters for {@code /status} and the summary line.
 *
 * @param keyframesOnly eco mode is decoding keyframes only (a still scene)
 * @param videoPacketsTotal video packets demuxed (and recorded), decoded or not
 * @param keyframeIntervalSeconds the time between the last two keyframes, null before two
 */
public record CameraStatus(
    String name,
    CameraState state,
    String url,
    Instant lastFrameAt,
    long framesTotal,
    double fps,
    long reconnects,
    String lastError,
    Instant lastErrorAt,
    Instant connectedAt,
    Integer width,
    Integer height,
    String codec,
    DecodeMode decode,
    boolean keyframesOnly,
    long videoPacketsTotal,
    Double keyframeIntervalSeconds) {}
