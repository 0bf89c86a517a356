package io.homenvr.pipeline.recording;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What the web server offers of the recordings: a day's timeline and any range as one MP4. */
public final class Recordings {
  /** Longest range one export may cover. */
  public static final Duration MAX_CLIP = Duration.ofHours(1);

  /** Holes between segments shorter than this are the frame interval, not a gap. */
  static final Duration HOLE = Duration.ofSeconds(1);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Recorder> recorders;
  private final Path exports;

  public Recordings(Map<String, Recorder> recorders, Path root) {
    this.recorders = Map.copyOf(recorders);
    this.exports = root.resolve(".exports");
    deleteLeftoverExports();
  }

  /** Exports are temporary files; a crash while serving one leaves it behind. */
  private void deleteLeftoverExports() {
    if (!Files.isDirectory(exports)) {
      return;
    }
    try (var files = Files.list(exports)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // harmless: they are deleted at the next start
    }
  }

  public boolean records(String camera) {
    return recorders.containsKey(camera);
  }

  /**
   * The segments, events and gaps of one UTC day: {@code holes} are computed from the files (a
   * missing file is a hole, whatever anyone believed), {@code gaps} carry the recorder's causes.
   */
  public byte[] timeline(String camera, LocalDate day) throws IOException {
    Recorder recorder = recorders.get(camera);
    Instant from = day.atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = from.plus(Duration.ofDays(1));
    ObjectNode root = JSON.createObjectNode();
    root.put("camera", camera).put("day", day.toString());
    ArrayNode segments = root.putArray("segments");
    ArrayNode holes = root.putArray("holes");
    List<Segment> list = recorder.index().between(from, to);
    Segment previous = null;
    for (Segment s : list) {
      segments
          .addObject()
          .put("start", s.start().toString())
          .put("end", s.end().toString())
          .put("bytes", s.bytes());
      if (previous != null && Duration.between(previous.end(), s.start()).compareTo(HOLE) > 0) {
        holes.addObject().put("start", previous.end().toString()).put("end", s.start().toString());
      }
      previous = s;
    }
    ArrayNode events = root.putArray("events");
    for (RecordedEvent e : recorder.index().events()) {
      if (e.overlaps(from, to)) {
        events
            .addObject()
            .put("start", e.start().toString())
            .put("end", e.end().toString())
            .put("kind", e.kind());
      }
    }
    ArrayNode gaps = root.putArray("gaps");
    for (Gap g : recorder.status().gaps()) {
      Instant end = g.end() == null ? Instant.MAX : g.end();
      if (g.start().isBefore(to) && end.isAfter(from)) {
        gaps.addObject()
            .put("start", g.start().toString())
            .put("end", g.end() == null ? null : g.end().toString())
            .put("cause", g.cause());
      }
    }
    return JSON.writeValueAsBytes(root);
  }

  /**
   * The footage of {@code camera} between {@code from} and {@code to} as one MP4 in a temporary
   * file the caller deletes; empty when nothing was recorded then.
   */
  public Optional<Path> clip(String camera, Instant from, Instant to)
      throws IOException, RecordingException {
    Recorder recorder = recorders.get(camera);
    List<Segment> segments = recorder.index().between(from, to);
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    Files.createDirectories(exports);
    Path target = exports.resolve(UUID.randomUUID() + ".mp4");
    Mp4Files.Copied copied = Mp4Files.clip(segments, from, to, target);
    return copied.videoPackets() == 0 ? Optional.empty() : Optional.of(target);
  }
}
