package io.homenvr.pipeline.mqtt;

import java.time.Instant;

/** The MQTT broker as a dependency, for {@code /status}; {@code broker} carries no credentials. */
public record MqttStatus(
    String broker,
    boolean connected,
    Instant connectedAt,
    String lastError,
    Instant lastErrorAt,
    long reconnects,
    long publishedTotal,
    int pendingEvents,
    long droppedEvents) {}
