package io.homenvr.operator.aifix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.status.ConfigOverride;
import io.homenvr.api.v1alpha1.status.Overrides;
import io.homenvr.operator.aifix.ConfigChangeValidator.History;
import io.homenvr.operator.aifix.ConfigChangeValidator.Verdict;
import java.time.Instant;

/**
 * The configuration an AI fix's accepted change makes the pipeline run, from {@code
 * status.overrides.config}: the stored proposal is judged again against the spec as it is now at
 * every render, so a spec that changed since (the user made the change permanent, lowered a cap,
 * turned configuration fixes off) drops the override instead of being overridden. The spec itself
 * is never written.
 */
public final class ConfigOverrides {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigOverrides() {}

  /** The spec the pipeline runs: the user's, with the config override applied while it applies. */
  public static CameraMonitorSpec effectiveSpec(CameraMonitor monitor) {
    return effectiveSpec(
        monitor.getSpec(), monitor.getStatus() == null ? null : monitor.getStatus().getOverrides());
  }

  public static CameraMonitorSpec effectiveSpec(CameraMonitorSpec spec, Overrides overrides) {
    if (overrides == null || overrides.getConfig() == null) {
      return spec;
    }
    return judge(overrides.getConfig(), spec) instanceof Verdict.Accepted accepted
        ? accepted.applyTo(spec)
        : spec;
  }

  /**
   * The stored override against {@code spec} as it is now: Accepted while it still applies, else
   * Refused with why (the cooldown and the one-per-incident rule were met when it was applied and
   * play no part here).
   */
  public static Verdict judge(ConfigOverride override, CameraMonitorSpec spec) {
    JsonNode proposal;
    try {
      proposal = override.getProposal() == null ? null : JSON.readTree(override.getProposal());
    } catch (JsonProcessingException e) {
      return new Verdict.Refused("status.overrides.config.proposal", "is not JSON");
    }
    if (proposal == null) {
      return new Verdict.Refused("status.overrides.config.proposal", "is missing");
    }
    try {
      Verdict verdict = ConfigChangeValidator.validate(proposal, spec, History.NONE, Instant.EPOCH);
      return verdict instanceof Verdict.NotConfig
          ? new Verdict.Refused("status.overrides.config.proposal", "is not a configuration change")
          : verdict;
    } catch (RuntimeException unexpected) {
      // a hand-edited status must never stop the pipeline from being rendered
      return new Verdict.Refused("status.overrides.config.proposal", unexpected.toString());
    }
  }

  /** The override to record for an accepted change. */
  public static ConfigOverride of(
      Verdict.Accepted accepted,
      JsonNode proposal,
      String incident,
      Instant appliedAt,
      Instant verifyUntil) {
    ConfigOverride override = new ConfigOverride();
    override.setSpecPath(accepted.specPath());
    override.setFrom(accepted.from());
    override.setTo(accepted.to());
    override.setChange(accepted.permanentChange());
    override.setReason(accepted.change().reason());
    override.setProposal(proposal.toString());
    override.setIncident(incident);
    override.setAppliedAt(appliedAt.toString());
    override.setVerifyUntil(verifyUntil.toString());
    return override;
  }
}
