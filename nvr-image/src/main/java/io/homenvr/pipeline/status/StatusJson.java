package io.homenvr.pipeline.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.recording.Gap;
import io.homenvr.pipeline.recording.RecordingStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Writes the heartbeat JSON field by field: the names are the contract with the operator
 * (docs/status-contract.md), so they are spelled here once, not derived from Java names.
 */
public final class StatusJson {
  static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  public static byte[] render(PipelineStatus status) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("time", iso(status.time()));
    root.put("startedAt", iso(status.startedAt()));
    ArrayNode cameras = root.putArray("cameras");
    for (CameraStatus camera : status.cameras()) {
      ObjectNode cameraNode = cameras.addObject();
      cameraNode
          .put("name", camera.name())
          .put("state", camera.state().name())
          .put("url", camera.url())
          .put("lastFrameAt", iso(camera.lastFrameAt()))
          .put("framesTotal", camera.framesTotal())
          .put("fps", round(camera.fps()))
          .put("reconnects", camera.reconnects())
          .put("lastError", camera.lastError())
          .put("lastErrorAt", iso(camera.lastErrorAt()))
          .put("connectedAt", iso(camera.connectedAt()))
          .put("width", camera.width())
          .put("height", camera.height())
          .put("codec", camera.codec());
      cameraNode
          .putObject("decode")
          .put("mode", camera.decode().name().toLowerCase(Locale.ROOT))
          .put("keyframesOnly", camera.keyframesOnly())
          .put("videoPacketsTotal", camera.videoPacketsTotal())
          .put("keyframeIntervalSeconds", camera.keyframeIntervalSeconds());
      RecordingStatus recording = status.recording(camera.name());
      if (recording != null) {
        ObjectNode node =
            cameraNode
                .putObject("recording")
                .put("mode", recording.mode().name().toLowerCase(Locale.ROOT))
                .put("state", recording.state().name())
                .put("segmentSeconds", recording.segmentSeconds())
                .put("lastSegmentAt", iso(recording.lastSegmentAt()))
                .put("segmentsTotal", recording.segmentsTotal())
                .put("bytesPerSecond", round(recording.bytesPerSecond()))
                .put("droppedPackets", recording.droppedPackets())
                .put("lastError", recording.lastError());
        ArrayNode gaps = node.putArray("gaps");
        for (Gap gap : recording.gaps()) {
          gaps.addObject()
              .put("start", iso(gap.start()))
              .put("end", iso(gap.end()))
              .put("cause", gap.cause());
        }
      }
    }
    var analysis = status.analysis();
    root.putObject("analysis")
        .put("lastTickAt", iso(analysis.lastTickAt()))
        .put("ticksTotal", analysis.ticksTotal())
        .put("analysesTotal", analysis.analysesTotal())
        .put("motionEventsTotal", analysis.motionEventsTotal());
    var vision = status.vision();
    root.putObject("vision")
        .put("configured", vision.configured())
        .put("api", vision.api())
        .put("mode", vision.mode())
        .put("reachable", vision.reachable())
        .put("breaker", vision.breaker())
        .put("lastLatencyMs", vision.lastLatencyMs())
        .put("lastError", vision.lastError())
        .put("lastSuccessAt", iso(vision.lastSuccessAt()))
        .put("requestsTotal", vision.requestsTotal())
        .put("failuresTotal", vision.failuresTotal())
        .put("fallbacksTotal", vision.fallbacksTotal())
        .put("queueDepth", vision.queueDepth())
        .put("inFlight", vision.inFlight())
        .put("dropped", vision.dropped());
    var alerts = status.alerts();
    root.putObject("alerts")
        .put("telegramConfigured", alerts.telegramConfigured())
        .put("sent", alerts.sent())
        .put("failed", alerts.failed())
        .put("pending", alerts.pending())
        .put("dropped", alerts.dropped())
        .put("lastSentAt", iso(alerts.lastSentAt()))
        .put("lastError", alerts.lastError());
    ObjectNode process = root.putObject("process");
    process.put("cpuSecondsTotal", round(status.process().cpuSecondsTotal()));
    process.put("threads", status.process().threads());
    status.process().deadlockedThreads().forEach(process.putArray("deadlockedThreads")::add);
    var storage = status.storage();
    root.putObject("storage")
        .put("path", storage.path())
        .put("usedBytes", storage.usedBytes())
        .put("snapshotFiles", storage.snapshotFiles())
        .put("deletedTotal", storage.deletedTotal())
        .put("freeBytes", storage.freeBytes())
        .put("totalBytes", storage.totalBytes())
        .put("freePercent", round(storage.freePercent()))
        .put(
            "freeInodesPercent",
            storage.freeInodesPercent() == null ? null : round(storage.freeInodesPercent()))
        .put("lastError", storage.lastError());
    var offload = status.offload();
    if (offload == null) {
      root.putNull("offload");
    } else {
      root.putObject("offload")
          .put("dir", offload.dir())
          .put("state", offload.state().name())
          .put("clipsTotal", offload.clipsTotal())
          .put("lastClipAt", iso(offload.lastClipAt()))
          .put("lastError", offload.lastError());
    }
    var mqtt = status.mqtt();
    if (mqtt == null) {
      root.putNull("mqtt");
    } else {
      root.putObject("mqtt")
          .put("broker", mqtt.broker())
          .put("connected", mqtt.connected())
          .put("connectedAt", iso(mqtt.connectedAt()))
          .put("lastError", mqtt.lastError())
          .put("lastErrorAt", iso(mqtt.lastErrorAt()))
          .put("reconnects", mqtt.reconnects())
          .put("publishedTotal", mqtt.publishedTotal())
          .put("pendingEvents", mqtt.pendingEvents())
          .put("droppedEvents", mqtt.droppedEvents());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status JSON", e);
    }
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
