package io.homenvr.operator.validation;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Finds a Secret by namespace and name (the operator's informer cache, or a map in tests). */
@FunctionalInterface
public interface SecretLookup {
  Optional<Secret> find(String namespace, String name);
}
