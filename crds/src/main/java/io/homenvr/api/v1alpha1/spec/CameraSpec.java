package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One RTSP camera. */
@ValidationRule(
    value = "!self.url.matches('^rtsps?://[^/?#]*@')",
    message =
        "url must not contain credentials: store them in a Secret (keys username, password)"
            + " and set credentialsSecretRef",
    fieldPath = ".url")
public class CameraSpec {
  /** RTSP transport; TCP survives lossy Wi-Fi far better, so it is the default. */
  public enum Transport {
    @JsonProperty("tcp")
    TCP,
    @JsonProperty("udp")
    UDP
  }

  @Required
  @Size(min = 1, max = 40)
  @Pattern(Names.DNS_LABEL)
  @JsonPropertyDescription(
      "Camera name, a DNS label (lower-case letters, digits, '-'), unique in this"
          + " CameraMonitor. Used in logs, metrics, alerts and snapshot URLs.")
  private String name;

  @Required
  @Size(min = 8, max = 2048)
  @Pattern("^rtsps?://[^\\s/?#]+(/\\S*)?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Stream URL, rtsp:// or rtsps://, without credentials, e.g."
          + " rtsp://192.168.0.50:554/stream1.")
  private String url;

  @Default("tcp")
  @JsonPropertyDescription("RTSP transport: tcp (default, robust) or udp.")
  private Transport transport = Transport.TCP;

  @JsonPropertyDescription(
      "Secret holding the camera's RTSP login: keys 'username' and 'password' by default (see"
          + " usernameKey, passwordKey). Leave it out for a camera without a login.")
  private CredentialsRef credentialsSecretRef;

  @JsonPropertyDescription("Motion detection settings for this camera.")
  private DetectSpec detect = new DetectSpec();

  @Default("{}")
  @JsonPropertyDescription(
      "Recording of this camera; left out, the camera records continuously with the defaults.")
  private RecordSpec record = new RecordSpec();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Transport getTransport() {
    return transport;
  }

  public void setTransport(Transport transport) {
    this.transport = transport;
  }

  public CredentialsRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public DetectSpec getDetect() {
    return detect;
  }

  public void setDetect(DetectSpec detect) {
    this.detect = detect;
  }

  public RecordSpec getRecord() {
    return record;
  }

  public void setRecord(RecordSpec record) {
    this.record = record;
  }
}
