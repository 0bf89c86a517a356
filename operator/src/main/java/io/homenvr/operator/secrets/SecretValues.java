package io.homenvr.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the Secrets a CameraMonitor references, at the moment they are needed, never cached. */
public class SecretValues {
  private final KubernetesClient client;

  public SecretValues(KubernetesClient client) {
    this.client = client;
  }

  public Optional<String> read(String namespace, SecretKeyRef ref) {
    if (ref == null) {
      return Optional.empty();
    }
    return secret(namespace, ref.getName()).flatMap(s -> value(s, ref.getKey()));
  }

  /** A redactor that knows every value of every Secret this CameraMonitor references. */
  public Redactor redactorFor(CameraMonitor monitor) {
    String namespace = monitor.getMetadata().getNamespace();
    List<String> values = new ArrayList<>();
    for (String name : referencedSecrets(monitor.getSpec())) {
      secret(namespace, name)
          .ifPresent(
              s -> {
                if (s.getData() != null) {
                  s.getData().keySet().forEach(key -> value(s, key).ifPresent(values::add));
                }
                if (s.getStringData() != null) {
                  values.addAll(s.getStringData().values());
                }
              });
    }
    return new Redactor(values);
  }

  static Set<String> referencedSecrets(CameraMonitorSpec spec) {
    Set<String> names = new LinkedHashSet<>();
    for (CameraSpec camera : spec.getCameras()) {
      if (camera.getCredentialsSecretRef() != null) {
        names.add(camera.getCredentialsSecretRef().getName());
      }
    }
    if (spec.getVision() != null && spec.getVision().getApiKeySecretRef() != null) {
      names.add(spec.getVision().getApiKeySecretRef().getName());
    }
    if (spec.getAlerts() != null && spec.getAlerts().getTelegram() != null) {
      names.add(spec.getAlerts().getTelegram().getBotTokenSecretRef().getName());
    }
    var escalation = spec.getEscalation();
    if (escalation.getTelegram() != null) {
      names.add(escalation.getTelegram().getBotTokenSecretRef().getName());
    }
    if (escalation.getNtfy() != null && escalation.getNtfy().getTokenSecretRef() != null) {
      names.add(escalation.getNtfy().getTokenSecretRef().getName());
    }
    if (escalation.getWebhook() != null && escalation.getWebhook().getTokenSecretRef() != null) {
      names.add(escalation.getWebhook().getTokenSecretRef().getName());
    }
    if (spec.getMqtt() != null && spec.getMqtt().getCredentialsSecretRef() != null) {
      names.add(spec.getMqtt().getCredentialsSecretRef().getName());
    }
    var aiFix = escalation.getAiFix();
    if (aiFix != null && aiFix.getApiKeySecretRef() != null) {
      names.add(aiFix.getApiKeySecretRef().getName());
    }
    if (aiFix != null
        && aiFix.getRepository() != null
        && aiFix.getRepository().getCredentialsSecretRef() != null) {
      names.add(aiFix.getRepository().getCredentialsSecretRef().getName());
    }
    return names;
  }

  private Optional<Secret> secret(String namespace, String name) {
    try {
      return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).trim());
    }
    if (secret.getData() == null || secret.getData().get(key) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
            .trim());
  }
}
