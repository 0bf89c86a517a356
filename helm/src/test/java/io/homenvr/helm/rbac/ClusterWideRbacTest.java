package io.homenvr.helm.rbac;

import java.util.Map;

/** The chart's defaults: every namespace watched, through a ClusterRole. */
class ClusterWideRbacTest extends OperatorRbacProof {
  @Override
  String releaseName() {
    return "rbac-cluster-wide";
  }

  @Override
  Map<String, Object> values(String watchedNamespace) {
    return Map.of();
  }
}
