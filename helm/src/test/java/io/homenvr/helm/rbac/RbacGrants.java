package io.homenvr.helm.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the rendered Roles and ClusterRoles grant the operator's ServiceAccount, and where. */
final class RbacGrants {
  private final List<HasMetadata> objects;
  private final String serviceAccount;

  RbacGrants(List<HasMetadata> objects, String serviceAccount) {
    this.objects = objects;
    this.serviceAccount = serviceAccount;
  }

  /** Granted everywhere: ClusterRoles bound by a ClusterRoleBinding to the ServiceAccount. */
  Set<ApiAccess> clusterWide() {
    Set<ApiAccess> granted = new TreeSet<>();
    for (ClusterRoleBinding binding : ofType(ClusterRoleBinding.class)) {
      if (bindsServiceAccount(binding.getSubjects())) {
        clusterRole(binding.getRoleRef().getName()).forEach(r -> expand(r, granted));
      }
    }
    return granted;
  }

  /** Granted in one namespace: the cluster-wide grants plus Roles bound there. */
  Set<ApiAccess> in(String namespace) {
    Set<ApiAccess> granted = clusterWide();
    for (RoleBinding binding : ofType(RoleBinding.class)) {
      if (namespace.equals(binding.getMetadata().getNamespace())
          && bindsServiceAccount(binding.getSubjects())) {
        List<PolicyRule> rules =
            binding.getRoleRef().getKind().equals("ClusterRole")
                ? clusterRole(binding.getRoleRef().getName())
                : role(namespace, binding.getRoleRef().getName());
        rules.forEach(r -> expand(r, granted));
      }
    }
    return granted;
  }

  boolean grants(ScopedAccess scoped) {
    return (scoped.namespace().isEmpty() ? clusterWide() : in(scoped.namespace()))
        .contains(scoped.access());
  }

  /** Every rule of every rendered Role and ClusterRole, namespace ignored. */
  Set<ApiAccess> all() {
    Set<ApiAccess> granted = new TreeSet<>();
    ofType(ClusterRole.class).forEach(r -> r.getRules().forEach(rule -> expand(rule, granted)));
    ofType(Role.class).forEach(r -> r.getRules().forEach(rule -> expand(rule, granted)));
    return granted;
  }

  private boolean bindsServiceAccount(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
    return subjects.stream()
        .anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(serviceAccount));
  }

  private List<PolicyRule> clusterRole(String name) {
    return ofType(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .map(ClusterRole::getRules)
        .orElseThrow(
            () -> new AssertionError("ClusterRole " + name + " is bound but not rendered"));
  }

  private List<PolicyRule> role(String namespace, String name) {
    return ofType(Role.class).stream()
        .filter(
            r ->
                r.getMetadata().getName().equals(name)
                    && namespace.equals(r.getMetadata().getNamespace()))
        .findFirst()
        .map(Role::getRules)
        .orElseThrow(
            () ->
                new AssertionError(
                    "Role " + namespace + "/" + name + " is bound but not rendered"));
  }

  private static void expand(PolicyRule rule, Set<ApiAccess> into) {
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          into.add(new ApiAccess(group, resource, verb));
        }
      }
    }
  }

  private <T> List<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
