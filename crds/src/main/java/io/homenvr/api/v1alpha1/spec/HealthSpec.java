package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Behavioural thresholds: the pipeline is healthy when it does its work, not when it is alive. */
public class HealthSpec {
  /** Error lines that are part of life with cameras and networks, not a reason to restart. */
  public static final List<String> DEFAULT_TRANSIENT_ERROR_PATTERNS =
      List.of(
          "Connection reset by peer",
          "Connection refused",
          "timed out",
          "Broken pipe",
          "No route to host",
          "retry_after");

  @Default("10")
  @Min(1)
  @Max(3600)
  @JsonPropertyDescription("Seconds between two health checks of the pipeline.")
  private Integer checkIntervalSeconds = 10;

  @Default("30")
  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "A camera whose last frame is older than this many seconds is stale (frames not flowing).")
  private Integer frameStaleSeconds = 30;

  @Default("600")
  @Min(1)
  @Max(604800)
  @JsonPropertyDescription(
      "The pipeline logs a summary line regularly; no log line for this many seconds means the"
          + " process is wedged.")
  private Integer logStaleSeconds = 600;

  @Default("2000")
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription(
      "CPU use, in millicores, above which a pipeline that makes no progress is a spinning"
          + " zombie (the '300 % CPU and a frozen frame' failure).")
  private Integer cpuSpinMillicores = 2000;

  @Default("5")
  @Min(0)
  @Max(99)
  @JsonPropertyDescription(
      "Free space (and free inodes), in percent of the data volume, below which the disk counts"
          + " as full: an external problem a restart will not fix.")
  private Integer minFreeDiskPercent = 5;

  @Size(max = 64)
  @ValidationRule(
      value = "self.all(p, p.size() > 0)",
      message = "must not contain an empty pattern: it would match every line")
  @JsonPropertyDescription(
      "Regular expressions of error log lines that are transient (camera hiccups, network"
          + " blips) and never a reason to restart. Other ERROR lines count as serious.")
  private List<String> transientErrorPatterns = new ArrayList<>(DEFAULT_TRANSIENT_ERROR_PATTERNS);

  public Integer getCheckIntervalSeconds() {
    return checkIntervalSeconds;
  }

  public void setCheckIntervalSeconds(Integer checkIntervalSeconds) {
    this.checkIntervalSeconds = checkIntervalSeconds;
  }

  public Integer getFrameStaleSeconds() {
    return frameStaleSeconds;
  }

  public void setFrameStaleSeconds(Integer frameStaleSeconds) {
    this.frameStaleSeconds = frameStaleSeconds;
  }

  public Integer getLogStaleSeconds() {
    return logStaleSeconds;
  }

  public void setLogStaleSeconds(Integer logStaleSeconds) {
    this.logStaleSeconds = logStaleSeconds;
  }

  public Integer getCpuSpinMillicores() {
    return cpuSpinMillicores;
  }

  public void setCpuSpinMillicores(Integer cpuSpinMillicores) {
    this.cpuSpinMillicores = cpuSpinMillicores;
  }

  public Integer getMinFreeDiskPercent() {
    return minFreeDiskPercent;
  }

  public void setMinFreeDiskPercent(Integer minFreeDiskPercent) {
    this.minFreeDiskPercent = minFreeDiskPercent;
  }

  public List<String> getTransientErrorPatterns() {
    return transientErrorPatterns;
  }

  public void setTransientErrorPatterns(List<String> transientErrorPatterns) {
    this.transientErrorPatterns = transientErrorPatterns;
  }
}
