package io.homenvr.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's own record of the requests service accounts made (see audit-policy.yaml): who
 * asked, for what, and whether the authorizer allowed it. What RBAC tests assert on.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /**
   * One request.
   *
   * @param user e.g. {@code system:serviceaccount:homenvr-system:homenvr}
   * @param verb get, list, watch, create, update, patch, delete, deletecollection
   * @param apiGroup "" for the core group
   * @param resource plural, e.g. pods
   * @param subresource e.g. log, status; "" for none
   * @param namespace "" for cluster-scoped requests
   * @param code the HTTP status the API server answered
   * @param allowed whether the authorizer allowed it (false: 403 by RBAC)
   */
  public record Entry(
      String user,
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      boolean allowed,
      String uri) {
    /** e.g. {@code pods/log} or {@code leases.coordination.k8s.io}. */
    public String resourceName() {
      String r = subresource.isEmpty() ? resource : resource + "/" + subresource;
      return apiGroup.isEmpty() ? r : r + "." + apiGroup;
    }
  }

  /** Every recorded request made by {@code user} so far. */
  public List<Entry> entriesOf(String user) {
    return entries().stream().filter(e -> e.user().equals(user)).toList();
  }

  public List<Entry> entries() {
    if (!Files.exists(file)) {
      return new ArrayList<>();
    }
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many bytes the log holds now: a mark for {@link #entriesBetween}. */
  public long size() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The requests recorded between two {@link #size()} marks (the API server appends whole lines, so
   * a mark is always at a line's start): a benchmark's window without reading the whole log.
   */
  public List<Entry> entriesBetween(long from, long to) {
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(Math.toIntExact(to - from));
      while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) >= 0) {
        // read on until the window's bytes are all in
      }
      return parse(
          List.of(
              new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).split("\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Entry> parse(List<String> lines) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode event = JSON.readTree(line);
      if (!"ResponseComplete".equals(event.path("stage").asText())) {
        continue;
      }
      JsonNode ref = event.path("objectRef");
      entries.add(
          new Entry(
              event.path("user").path("username").asText(),
              event.path("verb").asText(),
              ref.path("apiGroup").asText(""),
              ref.path("resource").asText(""),
              ref.path("subresource").asText(""),
              ref.path("namespace").asText(""),
              ref.path("name").asText(""),
              event.path("responseStatus").path("code").asInt(),
              !"forbid"
                  .equals(event.path("annotations").path("authorization.k8s.io/decision").asText()),
              event.path("requestURI").asText()));
    }
    return entries;
  }
}
