package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One key of a Secret in the CameraMonitor's namespace. */
public class SecretKeyRef {
  @Required
  @Size(max = 253)
  @Pattern(Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the Secret, in the CameraMonitor's namespace.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(Names.SECRET_KEY)
  @JsonPropertyDescription("Key inside the Secret whose value is used.")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretKeyRef other
        && Objects.equals(name, other.name)
        && Objects.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }
}
