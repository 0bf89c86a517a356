package io.homenvr.pipeline.status;

import java.util.List;

/** The JVM's own view of the process for {@code /status}. */
public record ProcessStatus(double cpuSecondsTotal, int threads, List<String> deadlockedThreads) {}
