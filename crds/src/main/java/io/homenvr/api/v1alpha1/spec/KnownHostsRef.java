package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a ConfigMap or Secret holding ssh known_hosts lines: the git host's pinned keys. */
public class KnownHostsRef {
  /** Where the known_hosts lines are kept. */
  public enum Kind {
    @JsonProperty("ConfigMap")
    CONFIG_MAP,
    @JsonProperty("Secret")
    SECRET
  }

  @Default("ConfigMap")
  @JsonPropertyDescription("ConfigMap (default) or Secret.")
  private Kind kind = Kind.CONFIG_MAP;

  @Required
  @Size(max = 253)
  @Pattern(Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the ConfigMap or Secret, in the CameraMonitor's namespace.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(Names.SECRET_KEY)
  @JsonPropertyDescription(
      "Key whose value is known_hosts lines, e.g. the output of ssh-keyscan github.com checked"
          + " against the host's published fingerprints.")
  private String key;

  public KnownHostsRef() {}

  public KnownHostsRef(Kind kind, String name, String key) {
    this.kind = kind;
    this.name = name;
    this.key = key;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
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
}
