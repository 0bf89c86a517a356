package io.homenvr.pipeline.motion;

import java.time.Instant;

/** Progress of the analysis loop for {@code /status}. */
public record AnalysisStatus(
    Instant lastTickAt, long ticksTotal, long analysesTotal, long motionEventsTotal) {}
