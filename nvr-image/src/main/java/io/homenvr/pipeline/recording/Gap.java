package io.homenvr.pipeline.recording;

import java.time.Instant;

/** Time a recording camera has no footage for; {@code end} is null while the gap is open. */
public record Gap(Instant start, Instant end, String cause) {}
