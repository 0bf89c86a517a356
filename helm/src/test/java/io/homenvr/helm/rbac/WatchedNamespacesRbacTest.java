package io.homenvr.helm.rbac;

import java.util.Map;

/** watchNamespaces set: a Role in the watched namespace, get nodes and the Lease's Role. */
class WatchedNamespacesRbacTest extends OperatorRbacProof {
  @Override
  String releaseName() {
    return "rbac-watched";
  }

  @Override
  Map<String, Object> values(String watchedNamespace) {
    return Map.of("watchNamespaces[0]", watchedNamespace);
  }
}
