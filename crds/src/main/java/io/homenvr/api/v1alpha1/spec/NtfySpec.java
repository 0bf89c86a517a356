package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An ntfy topic (ntfy.sh or a self-hosted server) that incident reports are published to. */
public class NtfySpec {
  @Default("https://ntfy.sh")
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "ntfy server: https://ntfy.sh or a self-hosted one. Reports are POSTed to <serverUrl>/<topic>.")
  private String serverUrl = "https://ntfy.sh";

  @Required
  @Pattern("^[-_A-Za-z0-9]{1,64}$")
  @JsonPropertyDescription(
      "Topic to publish to (letters, digits, - and _; at most 64). On ntfy.sh anyone who knows a"
          + " topic can read it: pick one nobody guesses, or use an access token.")
  private String topic;

  @JsonPropertyDescription(
      "Optional Secret key holding an ntfy access token (tk_...), sent as a Bearer token, for"
          + " topics that need a login.")
  private SecretKeyRef tokenSecretRef;

  public String getServerUrl() {
    return serverUrl;
  }

  public void setServerUrl(String serverUrl) {
    this.serverUrl = serverUrl;
  }

  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }
}
