package io.homenvr.operator.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.operator.defaults.PipelineResources;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks what the CameraMonitor CRD cannot know, before anything is created: that referenced
 * Secrets and their keys exist, that the transient-error patterns compile as Java regular
 * expressions, and that requests fit in limits once homenvr's defaults fill the gaps. Everything a
 * schema can say (bounds, formats, URLs, names, cross-field rules) the CRD says, and the API server
 * enforces it before the operator ever sees the object.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** Every problem found, in field order; empty when the CameraMonitor can be run. */
  public static List<SpecError> validate(CameraMonitor monitor, SecretLookup secrets) {
    Checks checks = new Checks(monitor.getMetadata().getNamespace(), secrets);
    CameraMonitorSpec spec = monitor.getSpec();
    List<CameraSpec> cameras = spec.getCameras();
    for (int i = 0; i < cameras.size(); i++) {
      CredentialsRef credentials = cameras.get(i).getCredentialsSecretRef();
      if (credentials != null) {
        checks.secretHasKeys(
            "spec.cameras[" + i + "].credentialsSecretRef",
            credentials.getName(),
            List.of(credentials.getUsernameKey(), credentials.getPasswordKey()));
      }
    }
    if (spec.getVision() != null) {
      checks.secretKeyRef("spec.vision.apiKeySecretRef", spec.getVision().getApiKeySecretRef());
    }
    if (spec.getAlerts() != null) {
      checkTelegram("spec.alerts.telegram", spec.getAlerts().getTelegram(), checks);
    }
    if (spec.getHealth() != null) {
      checkPatterns(spec.getHealth().getTransientErrorPatterns(), checks);
    }
    if (spec.getEscalation() != null) {
      checkAiFix(spec.getEscalation().getAiFix(), checks);
      checkTelegram("spec.escalation.telegram", spec.getEscalation().getTelegram(), checks);
      if (spec.getEscalation().getNtfy() != null) {
        checks.secretKeyRef(
            "spec.escalation.ntfy.tokenSecretRef",
            spec.getEscalation().getNtfy().getTokenSecretRef());
      }
      if (spec.getEscalation().getWebhook() != null) {
        checks.secretKeyRef(
            "spec.escalation.webhook.tokenSecretRef",
            spec.getEscalation().getWebhook().getTokenSecretRef());
      }
    }
    if (spec.getPipeline() != null) {
      checkRequestsFitLimits(spec.getPipeline().getResources(), checks);
    }
    return checks.errors;
  }

  private static void checkTelegram(String at, TelegramSpec telegram, Checks checks) {
    if (telegram != null) {
      checks.secretKeyRef(at + ".botTokenSecretRef", telegram.getBotTokenSecretRef());
    }
  }

  /** The pipeline matches these with java.util.regex, which no CEL rule can compile. */
  private static void checkPatterns(List<String> patterns, Checks checks) {
    if (patterns == null) {
      return;
    }
    for (int i = 0; i < patterns.size(); i++) {
      try {
        Pattern.compile(patterns.get(i));
      } catch (PatternSyntaxException e) {
        checks.invalid(
            "spec.health.transientErrorPatterns[" + i + "]",
            "'"
                + patterns.get(i)
                + "' is not a valid regular expression ("
                + e.getDescription()
                + "); escape special characters such as ( [ { with a backslash");
      }
    }
  }

  private static void checkAiFix(AiFixSpec aiFix, Checks checks) {
    if (aiFix == null || !Boolean.TRUE.equals(aiFix.getEnabled())) {
      return; // a switched-off tier needs none of its Secrets
    }
    checks.secretKeyRef("spec.escalation.aiFix.apiKeySecretRef", aiFix.getApiKeySecretRef());
    if (aiFix.getRepository() != null) {
      checks.secretKeyRef(
          "spec.escalation.aiFix.repository.credentialsSecretRef",
          aiFix.getRepository().getCredentialsSecretRef());
    }
  }

  /** The defaults are the operator's, so only it can tell that a request exceeds its limit. */
  private static void checkRequestsFitLimits(ResourceRequirements resources, Checks checks) {
    if (resources == null) {
      return;
    }
    ResourceRequirements effective = PipelineResources.effective(resources);
    for (String resource : List.of("cpu", "memory")) {
      Quantity request = effective.getRequests().get(resource);
      Quantity limit = effective.getLimits().get(resource);
      BigDecimal requested = Quantity.getAmountInBytes(request);
      if (requested.compareTo(Quantity.getAmountInBytes(limit)) > 0) {
        checks.invalid(
            "spec.pipeline.resources.requests." + resource,
            "("
                + request
                + ") is above its limit ("
                + limit
                + "); raise spec.pipeline.resources.limits."
                + resource
                + " or lower the request");
      }
    }
  }

  /** The error list being built, and the Secret lookups. */
  private static final class Checks {
    private final List<SpecError> errors = new ArrayList<>();
    private final String namespace;
    private final SecretLookup secrets;

    Checks(String namespace, SecretLookup secrets) {
      this.namespace = namespace;
      this.secrets = secrets;
    }

    void invalid(String field, String problem) {
      errors.add(SpecError.invalid(field, problem));
    }

    void secretKeyRef(String field, SecretKeyRef ref) {
      if (ref != null) {
        secretHasKeys(field, ref.getName(), List.of(ref.getKey()));
      }
    }

    void secretHasKeys(String field, String name, List<String> keys) {
      Secret secret = secrets.find(namespace, name).orElse(null);
      if (secret == null) {
        errors.add(
            SpecError.secret(
                field,
                "Secret "
                    + name
                    + " does not exist in namespace "
                    + namespace
                    + "; create it (kubectl -n "
                    + namespace
                    + " create secret generic "
                    + name
                    + " "
                    + String.join(
                        " ", keys.stream().map(k -> "--from-literal=" + k + "=...").toList())
                    + ")"));
        return;
      }
      for (String key : keys) {
        boolean inData = secret.getData() != null && secret.getData().containsKey(key);
        boolean inStringData =
            secret.getStringData() != null && secret.getStringData().containsKey(key);
        if (!inData && !inStringData) {
          errors.add(
              SpecError.secret(
                  field,
                  "Secret "
                      + name
                      + " has no key '"
                      + key
                      + "'; add it to the Secret or point "
                      + field
                      + " at the key that holds it"));
        }
      }
    }
  }
}
