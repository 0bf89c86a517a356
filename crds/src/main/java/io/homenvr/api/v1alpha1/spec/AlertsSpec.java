package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Where detection alerts go. */
public class AlertsSpec {
  @JsonPropertyDescription(
      "Telegram chat for detection alerts (a photo and a caption). Without it, alerts are only"
          + " saved on the data volume and logged.")
  private TelegramSpec telegram;

  @Default("60")
  @Min(0)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds after an alert during which the same camera raises no other: one person walking"
          + " past is one alert, not fifty.")
  private Integer cooldownSeconds = 60;

  public TelegramSpec getTelegram() {
    return telegram;
  }

  public void setTelegram(TelegramSpec telegram) {
    this.telegram = telegram;
  }

  public Integer getCooldownSeconds() {
    return cooldownSeconds;
  }

  public void setCooldownSeconds(Integer cooldownSeconds) {
    this.cooldownSeconds = cooldownSeconds;
  }
}
