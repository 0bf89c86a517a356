package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The MQTT broker the pipeline publishes to, with Home Assistant discovery. */
@ValidationRule(
    value = "!self.url.matches('^mqtts?://[^/?#]*@')",
    message =
        "spec.mqtt.url must not contain credentials: store them in a Secret and name it in"
            + " spec.mqtt.credentialsSecretRef",
    fieldPath = ".url")
@ValidationRule(
    value = "!has(self.caSecretRef) || self.url.startsWith('mqtts://')",
    message = "spec.mqtt.caSecretRef is for TLS: use an mqtts:// url, or drop caSecretRef",
    fieldPath = ".caSecretRef")
public class MqttSpec {
  /** A topic level path: no wildcards, no empty level at either end. */
  static final String TOPIC_PREFIX_RULE =
      "!self.contains('+') && !self.contains('#') && !self.startsWith('/') && !self.endsWith('/')";

  @Required
  @Size(max = 2048)
  @Pattern("^mqtts?://[^\\s/?#]+/?$")
  @ValidationRule(value = Names.URL_WITH_VALID_PORT, message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Broker URL: mqtt://host:1883, or mqtts://host:8883 for TLS. No credentials in it (use"
          + " credentialsSecretRef) and no path.")
  private String url;

  @JsonPropertyDescription(
      "Secret with the broker login (keys username and password by default). Without it the"
          + " pipeline connects anonymously.")
  private CredentialsRef credentialsSecretRef;

  @Default("homenvr")
  @Size(min = 1, max = 128)
  @ValidationRule(
      value = TOPIC_PREFIX_RULE,
      message =
          "must not contain the MQTT wildcards + or #, nor start or end with /, e.g. homenvr or"
              + " home/nvr")
  @JsonPropertyDescription(
      "Prefix of every topic the pipeline publishes (<prefix>/available, <prefix>/<camera>/state,"
          + " ...). Give each CameraMonitor on one broker its own.")
  private String topicPrefix = "homenvr";

  @Default("true")
  @JsonPropertyDescription(
      "Publish Home Assistant MQTT discovery configs: each camera becomes a device with a"
          + " snapshot camera, motion, person and recording binary sensors, fps and state sensors.")
  private Boolean homeAssistantDiscovery = true;

  @Default("homeassistant")
  @Size(min = 1, max = 128)
  @ValidationRule(
      value = TOPIC_PREFIX_RULE,
      message = "must not contain the MQTT wildcards + or #, nor start or end with /")
  @JsonPropertyDescription("Home Assistant's discovery prefix.")
  private String discoveryPrefix = "homeassistant";

  @JsonPropertyDescription(
      "For mqtts:// with a private CA: the Secret key holding the PEM CA certificate(s) to trust."
          + " Without it the pipeline trusts the JVM's public CAs.")
  private SecretKeyRef caSecretRef;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public CredentialsRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getTopicPrefix() {
    return topicPrefix;
  }

  public void setTopicPrefix(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  public Boolean getHomeAssistantDiscovery() {
    return homeAssistantDiscovery;
  }

  public void setHomeAssistantDiscovery(Boolean homeAssistantDiscovery) {
    this.homeAssistantDiscovery = homeAssistantDiscovery;
  }

  public String getDiscoveryPrefix() {
    return discoveryPrefix;
  }

  public void setDiscoveryPrefix(String discoveryPrefix) {
    this.discoveryPrefix = discoveryPrefix;
  }

  public SecretKeyRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeyRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }
}
