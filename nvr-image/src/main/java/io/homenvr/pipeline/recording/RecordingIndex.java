package io.homenvr.pipeline.recording;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's footage: {@code <root>/<camera>/<YYYY-MM-DD>/<HH>/<MM>.<SS>.mp4} (UTC, the time of
 * the segment's first frame). The files are the truth; each day's {@code index.tsv} lists the
 * closed segments with their exact start, duration and size, appended (and synced) as each segment
 * is closed. On start, files the index misses are measured and added, entries whose file is gone
 * are dropped, and segments a crash left open ({@code .MM.SS.mp4.part}) are finalised from what
 * reached the disk — or deleted when nothing readable did.
 *
 * <p>Events ({@code events.tsv}) mark time ranges whose footage is kept longer. All methods are
 * thread-safe: the recorder adds, retention deletes, the web server reads.
 */
public final class RecordingIndex {
  private static final Logger log = LoggerFactory.getLogger(RecordingIndex.class);
  static final String INDEX = "index.tsv";
  static final String EVENTS = "events.tsv";
  static final String PART_SUFFIX = ".part";
  private static final String SALVAGE_SUFFIX = ".salvage.mp4";

  /** The event kind of a confirmed alert; it names a merged event over plain motion. */
  static final String ALERT = "alert";

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE_SECOND =
      DateTimeFormatter.ofPattern("mm.ss").withZone(ZoneOffset.UTC);
  private static final Pattern DAY_DIR = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern SEGMENT_FILE = Pattern.compile("(\\d{2})\\.(\\d{2})(-\\d+)?\\.mp4");

  private final String camera;
  private final Path directory;
  private final NavigableMap<Instant, Segment> segments = new TreeMap<>();
  private final List<RecordedEvent> events = new ArrayList<>();
  private final Set<String> staleDays = new HashSet<>();
  private long bytes;

  public RecordingIndex(Path root, String camera) {
    this.camera = camera;
    this.directory = root.resolve(camera);
  }

  public String camera() {
    return camera;
  }

  Path directory() {
    return directory;
  }

  /** Reads what is on disk, finalising leftovers and repairing the index; safe to call once. */
  public synchronized void load() throws IOException {
    Files.createDirectories(directory);
    List<Path> days;
    try (Stream<Path> list = Files.list(directory)) {
      days =
          list.filter(p -> Files.isDirectory(p) && DAY_DIR.matcher(name(p)).matches())
              .sorted()
              .toList();
    }
    for (Path day : days) {
      loadDay(day);
    }
    loadEvents();
  }

  private void loadDay(Path day) throws IOException {
    Map<String, Segment> listed = readIndex(day);
    List<Segment> found = new ArrayList<>();
    boolean changed = false;
    List<Path> hours;
    try (Stream<Path> list = Files.list(day)) {
      hours = list.filter(Files::isDirectory).sorted().toList();
    }
    for (Path hour : hours) {
      List<Path> files;
      try (Stream<Path> list = Files.list(hour)) {
        files = list.sorted().toList();
      }
      for (Path file : files) {
        String relative = day.relativize(file).toString();
        if (name(file).endsWith(SALVAGE_SUFFIX)) {
          deleteQuietly(file); // a salvage cut short: its .part is still there to salvage again
        } else if (name(file).endsWith(PART_SUFFIX)) {
          Segment recovered = finalise(day, file);
          if (recovered != null) {
            found.add(recovered);
            changed = true;
          }
        } else if (listed.containsKey(relative)) {
          found.add(listed.remove(relative));
        } else if (SEGMENT_FILE.matcher(name(file)).matches()) {
          Segment measured = measure(day, file);
          if (measured != null) {
            found.add(measured);
          }
          changed = true;
        }
      }
    }
    changed |= !listed.isEmpty(); // entries whose file is gone
    for (Segment segment : found) {
      segments.put(segment.start(), segment);
      bytes += segment.bytes();
    }
    if (changed) {
      rewriteIndex(day);
      log.info(
          "camera={} recordings of {} re-indexed from the files ({} segments)",
          camera,
          name(day),
          found.size());
    }
  }

  /** A segment a crash left open: salvage what reached the disk under its final name. */
  private Segment finalise(Path day, Path part) {
    String finalName = name(part).substring(1, name(part).length() - PART_SUFFIX.length());
    Path target = part.resolveSibling(finalName);
    Path salvaged = part.resolveSibling(name(part) + SALVAGE_SUFFIX);
    try {
      Mp4Files.Copied copied = Mp4Files.salvage(part, salvaged);
      Files.deleteIfExists(part);
      if (copied.videoPackets() == 0) {
        log.warn("camera={} unfinished segment {} held no video: deleted", camera, name(part));
        return null;
      }
      Files.move(salvaged, target, StandardCopyOption.ATOMIC_MOVE);
      Instant start = startOf(day, target);
      Segment segment = new Segment(target, start, copied.duration(), Files.size(target));
      log.info(
          "camera={} unfinished segment {} finalised: {} ms kept",
          camera,
          finalName,
          copied.duration().toMillis());
      return segment;
    } catch (RecordingException | IOException e) {
      log.warn(
          "camera={} unfinished segment {} unreadable, deleted: {}",
          camera,
          name(part),
          e.getMessage());
      deleteQuietly(part);
      deleteQuietly(salvaged);
      return null;
    }
  }

  private Segment measure(Path day, Path file) {
    try {
      Duration duration = Mp4Files.duration(file);
      if (duration.isZero()) {
        log.warn("camera={} segment {} holds no video: deleted", camera, file);
        deleteQuietly(file);
        return null;
      }
      return new Segment(file, startOf(day, file), duration, Files.size(file));
    } catch (RecordingException | IOException e) {
      log.warn("camera={} segment {} unreadable, deleted: {}", camera, file, e.getMessage());
      deleteQuietly(file);
      return null;
    }
  }

  private static Instant startOf(Path day, Path file) {
    Matcher m = SEGMENT_FILE.matcher(name(file));
    if (!m.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return Instant.parse(
        name(day) + "T" + name(file.getParent()) + ":" + m.group(1) + ":" + m.group(2) + "Z");
  }

  private Map<String, Segment> readIndex(Path day) throws IOException {
    Map<String, Segment> listed = new HashMap<>();
    Path index = day.resolve(INDEX);
    if (!Files.exists(index)) {
      return listed;
    }
    for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      if (f.length != 4) {
        continue; // a line cut short by a crash: the file scan finds its segment
      }
      try {
        listed.put(
            f[0],
            new Segment(
                day.resolve(f[0]),
                Instant.ofEpochMilli(Long.parseLong(f[1])),
                Duration.ofMillis(Long.parseLong(f[2])),
                Long.parseLong(f[3])));
      } catch (NumberFormatException e) {
        // as above
      }
    }
    return listed;
  }

  /** Where the segment that starts at {@code start} is written while open, and its final name. */
  synchronized Path[] pathsFor(Instant start) throws IOException {
    Path hour = directory.resolve(DAY.format(start)).resolve(HOUR.format(start));
    Files.createDirectories(hour);
    String base = MINUTE_SECOND.format(start);
    String name = base + ".mp4";
    for (int n = 1;
        Files.exists(hour.resolve(name)) || Files.exists(hour.resolve("." + name + PART_SUFFIX));
        n++) {
      name = base + "-" + n + ".mp4";
    }
    return new Path[] {hour.resolve("." + name + PART_SUFFIX), hour.resolve(name)};
  }

  /** Records a closed segment (already renamed to its final name), synced to disk. */
  synchronized void add(Segment segment) throws IOException {
    Path day = dayOf(segment.file());
    String line =
        day.relativize(segment.file())
            + "\t"
            + segment.start().toEpochMilli()
            + "\t"
            + segment.duration().toMillis()
            + "\t"
            + segment.bytes()
            + "\n";
    append(day.resolve(INDEX), line);
    segments.put(segment.start(), segment);
    bytes += segment.bytes();
  }

  /** Marks [from, to) as an event, merged with the previous one when they touch. */
  public synchronized RecordedEvent markEvent(Instant from, Instant to, String kind) {
    RecordedEvent merged = new RecordedEvent(from, to, kind);
    if (!events.isEmpty()) {
      RecordedEvent last = events.get(events.size() - 1);
      if (!from.isAfter(last.end())) {
        merged =
            new RecordedEvent(
                last.start().isBefore(from) ? last.start() : from,
                last.end().isAfter(to) ? last.end() : to,
                ALERT.equals(kind) ? kind : last.kind());
        events.set(events.size() - 1, merged);
      } else {
        events.add(merged);
      }
    } else {
      events.add(merged);
    }
    try {
      append(
          directory.resolve(EVENTS),
          merged.start().toEpochMilli()
              + "\t"
              + merged.end().toEpochMilli()
              + "\t"
              + merged.kind()
              + "\n");
    } catch (IOException e) {
      log.warn("camera={} event not saved: {}", camera, e.toString());
    }
    return merged;
  }

  private void loadEvents() throws IOException {
    Path file = directory.resolve(EVENTS);
    if (!Files.exists(file)) {
      return;
    }
    List<RecordedEvent> read = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      if (f.length == 3) {
        try {
          read.add(
              new RecordedEvent(
                  Instant.ofEpochMilli(Long.parseLong(f[0])),
                  Instant.ofEpochMilli(Long.parseLong(f[1])),
                  f[2]));
        } catch (NumberFormatException e) {
          // a line cut short by a crash
        }
      }
    }
    read.sort(java.util.Comparator.comparing(RecordedEvent::start));
    for (RecordedEvent event : read) {
      if (!events.isEmpty() && !event.start().isAfter(events.get(events.size() - 1).end())) {
        RecordedEvent last = events.remove(events.size() - 1);
        events.add(
            new RecordedEvent(
                last.start(),
                last.end().isAfter(event.end()) ? last.end() : event.end(),
                ALERT.equals(event.kind()) ? event.kind() : last.kind()));
      } else {
        events.add(event);
      }
    }
  }

  public synchronized List<Segment> segments() {
    return List.copyOf(segments.values());
  }

  /** Closed segments overlapping [from, to), in time order. */
  public synchronized List<Segment> between(Instant from, Instant to) {
    Instant first = segments.floorKey(from);
    return segments.subMap(first == null ? from : first, true, to, false).values().stream()
        .filter(s -> s.overlaps(from, to))
        .toList();
  }

  public synchronized List<RecordedEvent> events() {
    return List.copyOf(events);
  }

  /**
   * Whether an event overlaps the segment. Events are kept in time order and merged when they
   * touch, so only the last event starting before the segment's end can overlap it: a binary
   * search, since retention asks this of every segment.
   */
  public synchronized boolean inEvent(Segment segment) {
    int low = 0;
    int high = events.size() - 1;
    int candidate = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (events.get(middle).start().isBefore(segment.end())) {
        candidate = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return candidate >= 0 && events.get(candidate).end().isAfter(segment.start());
  }

  public synchronized Segment newest() {
    var last = segments.lastEntry();
    return last == null ? null : last.getValue();
  }

  public synchronized Segment oldest() {
    var first = segments.firstEntry();
    return first == null ? null : first.getValue();
  }

  public synchronized long bytes() {
    return bytes;
  }

  /** Deletes a closed segment's file and forgets it; the day's index is rewritten by compact(). */
  synchronized boolean delete(Segment segment) {
    if (segments.remove(segment.start(), segment)) {
      bytes -= segment.bytes();
      deleteQuietly(segment.file());
      staleDays.add(name(dayOf(segment.file())));
      return true;
    }
    return false;
  }

  /** Forgets events that ended before {@code before}. */
  synchronized void dropEventsBefore(Instant before) {
    if (events.removeIf(e -> e.end().isBefore(before))) {
      try {
        StringBuilder text = new StringBuilder();
        events.forEach(
            e ->
                text.append(e.start().toEpochMilli())
                    .append('\t')
                    .append(e.end().toEpochMilli())
                    .append('\t')
                    .append(e.kind())
                    .append('\n'));
        replace(directory.resolve(EVENTS), text.toString());
      } catch (IOException e) {
        log.warn("camera={} events not compacted: {}", camera, e.toString());
      }
    }
  }

  /** Rewrites the index of every day retention touched, and removes emptied directories. */
  synchronized void compact() {
    for (String dayName : staleDays) {
      Path day = directory.resolve(dayName);
      try {
        rewriteIndex(day);
        removeEmpty(day);
      } catch (IOException e) {
        log.warn("camera={} index of {} not rewritten: {}", camera, dayName, e.toString());
      }
    }
    staleDays.clear();
  }

  private void rewriteIndex(Path day) throws IOException {
    if (!Files.isDirectory(day)) {
      return;
    }
    StringBuilder text = new StringBuilder();
    Instant from = Instant.parse(name(day) + "T00:00:00Z");
    for (Segment s : segments.subMap(from, true, from.plus(Duration.ofDays(1)), false).values()) {
      text.append(day.relativize(s.file()))
          .append('\t')
          .append(s.start().toEpochMilli())
          .append('\t')
          .append(s.duration().toMillis())
          .append('\t')
          .append(s.bytes())
          .append('\n');
    }
    replace(day.resolve(INDEX), text.toString());
  }

  private void removeEmpty(Path day) throws IOException {
    try (Stream<Path> hours = Files.list(day)) {
      for (Path hour : hours.filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.list(hour)) {
          if (files.findAny().isEmpty()) {
            Files.deleteIfExists(hour);
          }
        }
      }
    }
    boolean onlyIndex;
    try (Stream<Path> rest = Files.list(day)) {
      onlyIndex = rest.allMatch(p -> name(p).equals(INDEX));
    }
    if (onlyIndex) {
      Files.deleteIfExists(day.resolve(INDEX));
      Files.deleteIfExists(day);
    }
  }

  private Path dayOf(Path file) {
    return file.getParent().getParent();
  }

  private static void append(Path file, String line) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
    }
  }

  /** Writes a whole file crash-safely: a temporary sibling, synced, renamed over it. */
  private static void replace(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling("." + name(file) + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.toString());
    }
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
