package io.homenvr.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.EscalationSpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.operator.validation.SecretLookup;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Secrets CameraMonitors refer to, watched so that creating or fixing one re-reconciles every
 * CameraMonitor that names it: an Invalid one recovers by itself.
 */
public final class SecretReferences {
  public static final String EVENT_SOURCE = "referenced-secrets";
  private static final String INDEX = "homenvr.io/referenced-secrets";

  private SecretReferences() {}

  /** Every Secret name the spec refers to, whatever the feature. */
  public static Set<String> names(CameraMonitorSpec spec) {
    if (spec == null) {
      return Set.of();
    }
    List<String> names = new ArrayList<>();
    if (spec.getCameras() != null) {
      spec.getCameras().stream()
          .filter(Objects::nonNull)
          .map(CameraSpec::getCredentialsSecretRef)
          .filter(Objects::nonNull)
          .forEach(ref -> names.add(ref.getName()));
    }
    Stream<SecretKeyRef> refs =
        Stream.of(
                Optional.ofNullable(spec.getVision()).map(v -> v.getApiKeySecretRef()),
                Optional.ofNullable(spec.getAlerts())
                    .map(a -> a.getTelegram())
                    .map(t -> t.getBotTokenSecretRef()),
                escalation(spec).map(e -> e.getTelegram()).map(t -> t.getBotTokenSecretRef()),
                escalation(spec).map(e -> e.getNtfy()).map(n -> n.getTokenSecretRef()),
                escalation(spec).map(e -> e.getWebhook()).map(w -> w.getTokenSecretRef()),
                Optional.ofNullable(spec.getMqtt()).map(m -> m.getCaSecretRef()),
                escalation(spec).map(e -> e.getAiFix()).map(a -> a.getApiKeySecretRef()),
                escalation(spec)
                    .map(e -> e.getAiFix())
                    .map(a -> a.getRepository())
                    .map(r -> r.getCredentialsSecretRef()))
            .flatMap(Optional::stream);
    refs.forEach(ref -> names.add(ref.getName()));
    Optional.ofNullable(spec.getMqtt())
        .map(m -> m.getCredentialsSecretRef())
        .ifPresent(ref -> names.add(ref.getName()));
    return names.stream()
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /** An informer on Secrets, mapping each to the CameraMonitors in its namespace that name it. */
  public static InformerEventSource<Secret, CameraMonitor> eventSource(
      EventSourceContext<CameraMonitor> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            INDEX,
            monitor ->
                names(monitor.getSpec()).stream()
                    .map(name -> key(monitor.getMetadata().getNamespace(), name))
                    .toList());
    var configuration =
        InformerEventSourceConfiguration.from(Secret.class, CameraMonitor.class)
            .withName(EVENT_SOURCE)
            .withSecondaryToPrimaryMapper(
                secret ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            INDEX,
                            key(
                                secret.getMetadata().getNamespace(),
                                secret.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** Secrets as the informer sees them, for the validator. */
  @SuppressWarnings("unchecked")
  public static SecretLookup lookup(Context<CameraMonitor> context) {
    var secrets =
        (InformerEventSource<Secret, CameraMonitor>)
            context.eventSourceRetriever().getEventSourceFor(Secret.class, EVENT_SOURCE);
    return (namespace, name) -> secrets.get(new ResourceID(name, namespace));
  }

  private static Optional<EscalationSpec> escalation(CameraMonitorSpec spec) {
    return Optional.ofNullable(spec.getEscalation());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
