package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Telegram chat reached through a bot. */
public class TelegramSpec {
  @Required
  @JsonPropertyDescription("Secret key holding the bot token from @BotFather.")
  private SecretKeyRef botTokenSecretRef;

  @Required
  @Size(min = 1, max = 64)
  @Pattern("^(-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,})$")
  @JsonPropertyDescription(
      "Chat to write to: a numeric chat id (groups are negative) or @channelusername.")
  private String chatId;

  @Default("https://api.telegram.org")
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Bot API base URL: https://api.telegram.org, or a self-hosted telegram-bot-api server.")
  private String apiBaseUrl = "https://api.telegram.org";

  public SecretKeyRef getBotTokenSecretRef() {
    return botTokenSecretRef;
  }

  public void setBotTokenSecretRef(SecretKeyRef botTokenSecretRef) {
    this.botTokenSecretRef = botTokenSecretRef;
  }

  public String getChatId() {
    return chatId;
  }

  public void setChatId(String chatId) {
    this.chatId = chatId;
  }

  public String getApiBaseUrl() {
    return apiBaseUrl;
  }

  public void setApiBaseUrl(String apiBaseUrl) {
    this.apiBaseUrl = apiBaseUrl;
  }
}
