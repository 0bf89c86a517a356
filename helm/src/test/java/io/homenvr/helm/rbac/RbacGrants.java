package io.homenvr.helm.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a set of Roles, ClusterRoles and bindings (rendered, or as a release stored them) grants one
 * ServiceAccount, and where: a {@link ScopedAccess} with namespace {@code ""} holds everywhere.
 */
final class RbacGrants {
  private final List<HasMetadata> objects;
  private final String serviceAccountNamespace;
  private final String serviceAccount;

  RbacGrants(List<HasMetadata> objects, String serviceAccountNamespace, String serviceAccount) {
    this.objects = objects;
    this.serviceAccountNamespace = serviceAccountNamespace;
    this.serviceAccount = serviceAccount;
  }

  /** Each grant and where it holds: everywhere for a ClusterRoleBinding, else its namespace. */
  Set<ScopedAccess> scoped() {
    Set<ScopedAccess> granted = new TreeSet<>();
    for (ClusterRoleBinding binding : ofType(ClusterRoleBinding.class)) {
      if (bindsServiceAccount(binding.getSubjects())) {
        for (ApiAccess access : expand(clusterRole(binding.getRoleRef().getName()))) {
          granted.add(new ScopedAccess("", access));
        }
      }
    }
    for (RoleBinding binding : ofType(RoleBinding.class)) {
      String namespace = binding.getMetadata().getNamespace();
      if (bindsServiceAccount(binding.getSubjects())) {
        List<PolicyRule> rules =
            binding.getRoleRef().getKind().equals("ClusterRole")
                ? clusterRole(binding.getRoleRef().getName())
                : role(namespace, binding.getRoleRef().getName());
        for (ApiAccess access : expand(rules)) {
          granted.add(new ScopedAccess(namespace, access));
        }
      }
    }
    return granted;
  }

  /** Granted everywhere: ClusterRoles bound by a ClusterRoleBinding. */
  Set<ApiAccess> clusterWide() {
    Set<ApiAccess> granted = new TreeSet<>();
    scoped().stream().filter(s -> s.namespace().isEmpty()).forEach(s -> granted.add(s.access()));
    return granted;
  }

  /** Granted in one namespace: the cluster-wide grants plus those bound there. */
  Set<ApiAccess> in(String namespace) {
    Set<ApiAccess> granted = new TreeSet<>();
    scoped().stream()
        .filter(s -> s.namespace().isEmpty() || s.namespace().equals(namespace))
        .forEach(s -> granted.add(s.access()));
    return granted;
  }

  /** Every rule of every Role and ClusterRole, bound or not, namespace ignored. */
  Set<ApiAccess> all() {
    Set<ApiAccess> granted = new TreeSet<>();
    ofType(ClusterRole.class).forEach(r -> granted.addAll(expand(r.getRules())));
    ofType(Role.class).forEach(r -> granted.addAll(expand(r.getRules())));
    return granted;
  }

  private boolean bindsServiceAccount(List<Subject> subjects) {
    return subjects.stream()
        .anyMatch(
            s ->
                s.getKind().equals("ServiceAccount")
                    && s.getName().equals(serviceAccount)
                    && serviceAccountNamespace.equals(s.getNamespace()));
  }

  private List<PolicyRule> clusterRole(String name) {
    return ofType(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .map(ClusterRole::getRules)
        .orElseThrow(() -> new AssertionError("ClusterRole " + name + " is bound but missing"));
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
            () -> new AssertionError("Role " + namespace + "/" + name + " is bound but missing"));
  }

  /** Rules to single accesses; resourceNames are ignored (a request outside them is refused). */
  private static Set<ApiAccess> expand(List<PolicyRule> rules) {
    Set<ApiAccess> accesses = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            accesses.add(new ApiAccess(group, resource, verb));
          }
        }
      }
    }
    return accesses;
  }

  private <T> List<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
