package io.homenvr.sandbox.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A container's output, line by line with the time each arrived, as the log API serves it. */
final class LogBuffer {
  private static final int MAX_LINES = 20_000;

  private record Line(Instant time, String text) {}

  private final Deque<Line> lines = new ArrayDeque<>();
  private final Path file;
  private long appended;

  LogBuffer(Path file) {
    this.file = file;
  }

  synchronized void append(String text) {
    Instant now = Instant.now();
    lines.addLast(new Line(now, text));
    appended++;
    notifyAll();
    if (lines.size() > MAX_LINES) {
      lines.removeFirst();
    }
    try {
      Files.writeString(
          file,
          now + " " + text + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last {@code tailLines} lines (all when null), optionally prefixed by RFC 3339 times. */
  String render(Integer tailLines, boolean timestamps) {
    return render(tailLines, null, timestamps);
  }

  /**
   * What the kubelet's log endpoint answers: the lines since a time (all when null), the last
   * {@code tailLines} of those (all when null), each optionally prefixed by its RFC 3339 time.
   */
  synchronized String render(Integer tailLines, Instant since, boolean timestamps) {
    List<Line> selected = new ArrayList<>();
    for (Line line : lines) {
      if (since == null || !line.time().isBefore(since)) {
        selected.add(line);
      }
    }
    if (tailLines != null && tailLines >= 0 && tailLines < selected.size()) {
      selected = selected.subList(selected.size() - tailLines, selected.size());
    }
    return format(selected, timestamps);
  }

  /** How many lines were ever appended: where a follower continues from. */
  synchronized long position() {
    return appended;
  }

  /**
   * The lines appended after {@code position}, waiting up to {@code waitMillis} for one; "" when
   * none came. For {@code kubectl logs -f}.
   */
  synchronized String after(long position, boolean timestamps, long waitMillis)
      throws InterruptedException {
    if (appended <= position && waitMillis > 0) {
      wait(waitMillis);
    }
    long skip = Math.max(0, position - (appended - lines.size()));
    List<Line> selected =
        new ArrayList<>(lines).subList((int) Math.min(skip, lines.size()), lines.size());
    return format(selected, timestamps);
  }

  private static String format(List<Line> selected, boolean timestamps) {
    StringBuilder out = new StringBuilder();
    for (Line line : selected) {
      if (timestamps) {
        out.append(line.time()).append(' ');
      }
      out.append(line.text()).append('\n');
    }
    return out.toString();
  }

  /** The last lines as one string, for a termination message that falls back to logs. */
  String tail(int count) {
    return render(count, false);
  }
}
