package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What happens when restarts do not help: an AI fix, then a human. */
public class EscalationSpec {
  @JsonPropertyDescription(
      "Tier 2: an AI code-fix Job on the pipeline's repository. Off by default.")
  private AiFixSpec aiFix = new AiFixSpec();

  @JsonPropertyDescription(
      "Tier 3 and incident reports: the Telegram chat of the human who looks after this NVR.")
  private TelegramSpec telegram;

  @JsonPropertyDescription(
      "Incident reports also (or only) to an ntfy topic. Each channel gets every report once,"
          + " retried on its own: one channel down never holds up another.")
  private NtfySpec ntfy;

  @JsonPropertyDescription(
      "Incident reports also (or only) as JSON POSTs to a webhook, retried on their own like"
          + " every channel.")
  private WebhookSpec webhook;

  @Default("false")
  @JsonPropertyDescription(
      "Send a daily 'all nominal' digest to the incident chat, so silence is never ambiguous.")
  private Boolean dailyDigest = false;

  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Optional dead man's switch (e.g. https://hc-ping.com/<uuid>), pinged every healthy check"
          + " so an outside service notices when homenvr itself stops.")
  private String deadMansSwitchUrl;

  public AiFixSpec getAiFix() {
    return aiFix;
  }

  public void setAiFix(AiFixSpec aiFix) {
    this.aiFix = aiFix;
  }

  public TelegramSpec getTelegram() {
    return telegram;
  }

  public void setTelegram(TelegramSpec telegram) {
    this.telegram = telegram;
  }

  public NtfySpec getNtfy() {
    return ntfy;
  }

  public void setNtfy(NtfySpec ntfy) {
    this.ntfy = ntfy;
  }

  public WebhookSpec getWebhook() {
    return webhook;
  }

  public void setWebhook(WebhookSpec webhook) {
    this.webhook = webhook;
  }

  public Boolean getDailyDigest() {
    return dailyDigest;
  }

  public void setDailyDigest(Boolean dailyDigest) {
    this.dailyDigest = dailyDigest;
  }

  public String getDeadMansSwitchUrl() {
    return deadMansSwitchUrl;
  }

  public void setDeadMansSwitchUrl(String deadMansSwitchUrl) {
    this.deadMansSwitchUrl = deadMansSwitchUrl;
  }
}
