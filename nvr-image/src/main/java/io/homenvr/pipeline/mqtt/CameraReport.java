package io.homenvr.pipeline.mqtt;

import io.homenvr.pipeline.capture.CameraState;

/** What MQTT tells about one camera, read from the same counters as {@code /status}. */
public record CameraReport(String name, CameraState state, double fps, boolean recording) {}
