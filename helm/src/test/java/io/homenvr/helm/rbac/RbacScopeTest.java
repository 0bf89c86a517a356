package io.homenvr.helm.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.helm.Chart;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Where the rendered chart grants what: the shape of its RBAC per option. That the rules are enough
 * and all needed is proven by running the operator under them ({@link OperatorRbacProof}).
 */
class RbacScopeTest {
  static final String WATCHED = "nvr";
  static final String SERVICE_ACCOUNT = Chart.RELEASE;

  /** What leader election needs: JOSDK checks create, get, update; fabric8 renews with patch. */
  static final Set<ApiAccess> LEASE_ACCESS =
      Set.of(
          new ApiAccess("coordination.k8s.io", "leases", "create"),
          new ApiAccess("coordination.k8s.io", "leases", "get"),
          new ApiAccess("coordination.k8s.io", "leases", "update"),
          new ApiAccess("coordination.k8s.io", "leases", "patch"));

  static RbacGrants grants(Map<String, Object> values) {
    return new RbacGrants(Chart.render(values), Chart.NAMESPACE, SERVICE_ACCOUNT);
  }

  private final RbacGrants watching = grants(Map.of("watchNamespaces[0]", WATCHED));

  @Test
  void secretsAreOnlyEverRead() {
    assertThat(grants(Map.of()).all())
        .filteredOn(a -> a.resource().equals("secrets"))
        .extracting(ApiAccess::verb)
        .isNotEmpty()
        .allMatch(verb -> Set.of("get", "list", "watch").contains(verb));
  }

  @Test
  void leaseRightsExistOnlyWithLeaderElectionAndOnlyInTheReleaseNamespace() {
    assertThat(watching.in(Chart.NAMESPACE)).containsAll(LEASE_ACCESS);
    assertThat(watching.in(WATCHED)).doesNotContainAnyElementsOf(LEASE_ACCESS);
    assertThat(grants(Map.of("watchNamespaces[0]", WATCHED, "leaderElection.enabled", false)).all())
        .noneMatch(a -> a.group().equals("coordination.k8s.io"));
  }

  @Test
  void withWatchNamespacesOnlyNodesAreGrantedClusterWide() {
    assertThat(watching.clusterWide()).extracting(ApiAccess::resource).containsOnly("nodes");
    assertThat(
            grants(Map.of("watchNamespaces[0]", WATCHED, "nodePressure.enabled", false))
                .clusterWide())
        .isEmpty();
  }

  @Test
  void withoutWatchNamespacesTheSameRulesAreGrantedClusterWide() {
    RbacGrants allNamespaces = grants(Map.of());
    Set<ApiAccess> namespaced =
        watching.in(WATCHED).stream()
            .filter(a -> !a.resource().equals("nodes"))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(allNamespaces.clusterWide()).containsAll(namespaced);
    assertThat(allNamespaces.in("any-namespace")).isEqualTo(allNamespaces.clusterWide());
  }
}
