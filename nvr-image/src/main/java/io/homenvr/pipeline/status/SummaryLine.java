package io.homenvr.pipeline.status;

import io.homenvr.pipeline.capture.CameraStatus;
import java.util.Locale;
import java.util.stream.Collectors;

/** The periodic one-line summary, so that a silent log means a stuck process. */
public final class SummaryLine {
  private SummaryLine() {}

  public static String format(PipelineStatus s) {
    String cameras =
        s.cameras().stream()
            .map(
                (CameraStatus c) ->
                    String.format(
                        Locale.ROOT,
                        "%s:%s %.1ffps frames=%d reconnects=%d",
                        c.name(),
                        c.state(),
                        c.fps(),
                        c.framesTotal(),
                        c.reconnects()))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "summary cameras=[%s] analyses=%d motion=%d vision=%s queue=%d dropped=%d"
            + " alerts sent=%d failed=%d pending=%d storage free=%.1f%% threads=%d deadlocked=%d",
        cameras,
        s.analysis().analysesTotal(),
        s.analysis().motionEventsTotal(),
        s.vision().mode(),
        s.vision().queueDepth(),
        s.vision().dropped(),
        s.alerts().sent(),
        s.alerts().failed(),
        s.alerts().pending(),
        s.storage().freePercent(),
        s.process().threads(),
        s.process().deadlockedThreads().size());
  }
}
