package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What the user wants: the cameras, the services around them and how hard to try healing. */
@ValidationRule(
    value = "self.cameras.all(c, self.cameras.exists_one(d, d.name == c.name))",
    message = "spec.cameras[].name must be unique: give each camera its own name",
    fieldPath = ".cameras")
@ValidationRule(
    value =
        "(has(self.recovery) && has(self.recovery.recoveryGraceSeconds)"
            + " ? self.recovery.recoveryGraceSeconds : 60)"
            + " > (has(self.health) && has(self.health.checkIntervalSeconds)"
            + " ? self.health.checkIntervalSeconds : 10)",
    message =
        "spec.recovery.recoveryGraceSeconds must be greater than spec.health.checkIntervalSeconds:"
            + " a restarted pipeline needs at least one check to prove itself",
    fieldPath = ".recovery.recoveryGraceSeconds")
public class CameraMonitorSpec {
  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription("The cameras this pipeline reads. At least one, at most 32.")
  private List<CameraSpec> cameras = new ArrayList<>();

  @JsonPropertyDescription(
      "The vision LLM that looks at motion crops: a remote Ollama (e.g. on a GPU box) or any"
          + " OpenAI-compatible server. Without it, a local person detector is used.")
  private VisionSpec vision;

  @JsonPropertyDescription("Detection alerts the pipeline sends when it sees something.")
  private AlertsSpec alerts = new AlertsSpec();

  @JsonPropertyDescription("Behavioural health thresholds: what 'working' means for this pipeline.")
  private HealthSpec health = new HealthSpec();

  @JsonPropertyDescription("Tier 1 of healing: bounded pipeline restarts with backoff.")
  private RecoverySpec recovery = new RecoverySpec();

  @JsonPropertyDescription(
      "Tiers 2 and 3 of healing: an AI code-fix Job, then a human via Telegram.")
  private EscalationSpec escalation = new EscalationSpec();

  @JsonPropertyDescription("How the pipeline workload runs: image, resources, placement, storage.")
  private PipelineSpec pipeline = new PipelineSpec();

  @JsonPropertyDescription(
      "An MQTT broker the pipeline publishes camera state, motion and detections to, with Home"
          + " Assistant discovery. A broker that is down never stops the pipeline.")
  private MqttSpec mqtt;

  public List<CameraSpec> getCameras() {
    return cameras;
  }

  public void setCameras(List<CameraSpec> cameras) {
    this.cameras = cameras;
  }

  public VisionSpec getVision() {
    return vision;
  }

  public void setVision(VisionSpec vision) {
    this.vision = vision;
  }

  public AlertsSpec getAlerts() {
    return alerts;
  }

  public void setAlerts(AlertsSpec alerts) {
    this.alerts = alerts;
  }

  public HealthSpec getHealth() {
    return health;
  }

  public void setHealth(HealthSpec health) {
    this.health = health;
  }

  public RecoverySpec getRecovery() {
    return recovery;
  }

  public void setRecovery(RecoverySpec recovery) {
    this.recovery = recovery;
  }

  public EscalationSpec getEscalation() {
    return escalation;
  }

  public void setEscalation(EscalationSpec escalation) {
    this.escalation = escalation;
  }

  public PipelineSpec getPipeline() {
    return pipeline;
  }

  public void setPipeline(PipelineSpec pipeline) {
    this.pipeline = pipeline;
  }

  public MqttSpec getMqtt() {
    return mqtt;
  }

  public void setMqtt(MqttSpec mqtt) {
    this.mqtt = mqtt;
  }
}
