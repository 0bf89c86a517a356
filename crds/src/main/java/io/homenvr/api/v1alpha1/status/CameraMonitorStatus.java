package io.homenvr.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What homenvr observed and did. Escalation state lives here so it survives operator restarts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CameraMonitorStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Pending, Healthy, Degraded, Recovering, Fixing, NeedsAttention or Invalid.")
  private Phase phase;

  @JsonPropertyDescription("One human sentence on the current state.")
  private String message;

  @JsonPropertyDescription(
      "Ready, PipelineHealthy, DependenciesHealthy, Escalated: type, status, reason, message,"
          + " lastTransitionTime.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Cameras in the spec.")
  private Integer cameraCount;

  @JsonPropertyDescription("Cameras whose frames are flowing.")
  private Integer healthyCameras;

  @JsonPropertyDescription("Per-camera state from the last health check.")
  private List<CameraStatus> cameras = new ArrayList<>();

  @JsonPropertyDescription("Time of the last health check (RFC 3339).")
  private String lastCheckTime;

  @JsonPropertyDescription(
      "When the last daily 'all nominal' digest was queued (RFC 3339); the next one is due 24 h"
          + " later, when healthy.")
  private String lastDigestTime;

  @JsonPropertyDescription("The escalation ladder's state for the open incident.")
  private RecoveryStatus recovery = new RecoveryStatus();

  @JsonPropertyDescription("The last incidents, newest first (at most 10).")
  private List<Incident> incidents = new ArrayList<>();

  @JsonPropertyDescription(
      "Reports not yet delivered to Telegram, retried until they are (survives restarts).")
  private List<Report> outbox = new ArrayList<>();

  @JsonPropertyDescription("Memory of the AI fix tier across incidents (cooldown, what it fixed).")
  private AiFixHistory aiFix = new AiFixHistory();

  @JsonPropertyDescription(
      "What runs instead of the spec (an AI fix's pipeline image), with why and since when;"
          + " absent when the spec is rendered as written. Revert with the annotation"
          + " homenvr.io/revert-override; changing spec.pipeline.image also drops it.")
  private Overrides overrides;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getCameraCount() {
    return cameraCount;
  }

  public void setCameraCount(Integer cameraCount) {
    this.cameraCount = cameraCount;
  }

  public Integer getHealthyCameras() {
    return healthyCameras;
  }

  public void setHealthyCameras(Integer healthyCameras) {
    this.healthyCameras = healthyCameras;
  }

  public List<CameraStatus> getCameras() {
    return cameras;
  }

  public void setCameras(List<CameraStatus> cameras) {
    this.cameras = cameras;
  }

  public String getLastCheckTime() {
    return lastCheckTime;
  }

  public void setLastCheckTime(String lastCheckTime) {
    this.lastCheckTime = lastCheckTime;
  }

  public String getLastDigestTime() {
    return lastDigestTime;
  }

  public void setLastDigestTime(String lastDigestTime) {
    this.lastDigestTime = lastDigestTime;
  }

  public RecoveryStatus getRecovery() {
    return recovery;
  }

  public void setRecovery(RecoveryStatus recovery) {
    this.recovery = recovery;
  }

  public List<Incident> getIncidents() {
    return incidents;
  }

  public void setIncidents(List<Incident> incidents) {
    this.incidents = incidents;
  }

  public List<Report> getOutbox() {
    return outbox;
  }

  public void setOutbox(List<Report> outbox) {
    this.outbox = outbox;
  }

  public AiFixHistory getAiFix() {
    return aiFix;
  }

  public void setAiFix(AiFixHistory aiFix) {
    this.aiFix = aiFix;
  }

  public Overrides getOverrides() {
    return overrides;
  }

  public void setOverrides(Overrides overrides) {
    this.overrides = overrides;
  }
}
