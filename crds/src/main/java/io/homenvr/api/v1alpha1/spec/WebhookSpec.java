package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Any HTTP endpoint that takes incident reports as JSON (Home Assistant, n8n, a chat bridge). */
public class WebhookSpec {
  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s/?#@]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "URL each report is POSTed to as JSON {id, kind, incident, monitor, namespace, text,"
          + " createdAt}; any 2xx answer confirms it. No credentials in it: use tokenSecretRef.")
  private String url;

  @JsonPropertyDescription(
      "Optional Secret key holding a token sent with every request in tokenHeader.")
  private SecretKeyRef tokenSecretRef;

  @Default("Authorization")
  @Pattern("^[A-Za-z0-9-]{1,64}$")
  @JsonPropertyDescription(
      "Header that carries the token: Authorization (sent as 'Bearer <token>') or any other"
          + " header name such as X-Api-Key (sent as the token itself).")
  private String tokenHeader = "Authorization";

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }

  public String getTokenHeader() {
    return tokenHeader;
  }

  public void setTokenHeader(String tokenHeader) {
    this.tokenHeader = tokenHeader;
  }
}
