package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret with a username and a password, e.g. a camera's RTSP login. */
public class CredentialsRef {
  @Required
  @Size(max = 253)
  @Pattern(Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the CameraMonitor's namespace.")
  private String name;

  @Default("username")
  @Size(max = 253)
  @Pattern(Names.SECRET_KEY)
  @JsonPropertyDescription("Key of the username in the Secret.")
  private String usernameKey = "username";

  @Default("password")
  @Size(max = 253)
  @Pattern(Names.SECRET_KEY)
  @JsonPropertyDescription("Key of the password in the Secret.")
  private String passwordKey = "password";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUsernameKey() {
    return usernameKey;
  }

  public void setUsernameKey(String usernameKey) {
    this.usernameKey = usernameKey;
  }

  public String getPasswordKey() {
    return passwordKey;
  }

  public void setPasswordKey(String passwordKey) {
    this.passwordKey = passwordKey;
  }
}
