package io.homenvr.operator.notify;

import io.homenvr.api.v1alpha1.spec.EscalationSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where one CameraMonitor's reports go: its channels' spec, who it is (for webhook bodies and ntfy
 * titles) and how to read a channel's Secret when a delivery runs (never earlier, never kept).
 */
public record Destinations(
    String namespace,
    String monitor,
    EscalationSpec escalation,
    Function<SecretKeyRef, Optional<String>> readSecret) {}
