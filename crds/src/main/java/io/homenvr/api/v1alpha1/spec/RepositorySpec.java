package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A git repository. */
@ValidationRule(
    value = "!self.url.matches('^https?://[^/?#]*@')",
    message =
        "repository.url must not contain credentials: put a token in a Secret and set"
            + " repository.credentialsSecretRef",
    fieldPath = ".url")
public class RepositorySpec {
  @Required
  @Size(max = 2048)
  @Pattern("^(https?://|ssh://|git@)\\S+$")
  @ValidationRule(
      value = "self.startsWith('git@') || (" + Names.URL_WITH_VALID_PORT + ")",
      message = Names.URL_WITH_VALID_PORT_MESSAGE)
  @JsonPropertyDescription(
      "Clone URL: https://…, ssh://… or git@host:owner/repo.git, without credentials.")
  private String url;

  @Default("main")
  @Size(min = 1, max = 255)
  @Pattern("^[A-Za-z0-9._/-]+$")
  @JsonPropertyDescription("Base branch the agent starts from (and pushes to with push: direct).")
  private String ref = "main";

  @JsonPropertyDescription(
      "Secret key with a git token (https) or an SSH private key (ssh), used to clone and push.")
  private SecretKeyRef credentialsSecretRef;

  @JsonPropertyDescription(
      "ssh only: the git host's public keys (known_hosts lines) from a ConfigMap or Secret key."
          + " Host keys are checked strictly and never accepted on first use, so an ssh repository"
          + " cannot be cloned without them.")
  private KnownHostsRef knownHostsRef;

  public KnownHostsRef getKnownHostsRef() {
    return knownHostsRef;
  }

  public void setKnownHostsRef(KnownHostsRef knownHostsRef) {
    this.knownHostsRef = knownHostsRef;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRef() {
    return ref;
  }

  public void setRef(String ref) {
    this.ref = ref;
  }

  public SecretKeyRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretKeyRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
