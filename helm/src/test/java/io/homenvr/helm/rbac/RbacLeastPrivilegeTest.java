package io.homenvr.helm.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.homenvr.helm.Chart;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC against what the operator really does: a recorded run of the real operator
 * against the mock API server (what JOSDK and the reconciler call), plus a scan of the operator's
 * direct client calls (paths the run does not reach). Both must be granted; nothing else may be.
 */
class RbacLeastPrivilegeTest {
  static final String WATCHED = "nvr";
  static final String SERVICE_ACCOUNT = Chart.RELEASE;

  /**
   * Granted without being in the derived usage yet, each for a stated reason. Keep it short: an
   * entry here is a right the operator holds without a line of code that needs it today.
   */
  static final Map<ApiAccess, String> GRANTED_BY_DESIGN =
      Map.of(
          new ApiAccess("homenvr.io", "cameramonitors/finalizers", "update"),
          "owner references that block owner deletion need it where the API server enforces"
              + " OwnerReferencesPermissionEnforcement");

  /** What JOSDK's LeaderElectionManager checks before electing (a SelfSubjectRulesReview). */
  static final Set<ApiAccess> LEASE_ACCESS =
      Set.of(
          new ApiAccess("coordination.k8s.io", "leases", "create"),
          new ApiAccess("coordination.k8s.io", "leases", "get"),
          new ApiAccess("coordination.k8s.io", "leases", "update"));

  static List<HasMetadata> chart;
  static RbacGrants grants;
  static RecordedOperatorRun.Result recorded;
  static OperatorSourceScan.Result scanned;

  @BeforeAll
  static void runTheOperatorAndScanItsSources() throws Exception {
    chart = Chart.render(Map.of("watchNamespaces[0]", WATCHED));
    grants = new RbacGrants(chart, SERVICE_ACCOUNT);
    Deployment deployment = Chart.ofType(chart, Deployment.class).get(0);
    recorded =
        RecordedOperatorRun.run(
            deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv(),
            Chart.NAMESPACE,
            grants,
            Chart.DIR.resolve("crds/cameramonitors.homenvr.io-v1.yml"),
            Chart.REPO.resolve("k3s/example-secrets.yaml"),
            Chart.REPO.resolve("k3s/example-cameramonitor.yaml"));
    scanned = OperatorSourceScan.scan(Chart.REPO.resolve("operator/src/main/java"));
  }

  @Test
  void theRecordedRunReachedTheWorkloadAndItsStatus() {
    assertThat(recorded.accesses())
        .extracting(ScopedAccess::access)
        .contains(
            new ApiAccess("homenvr.io", "cameramonitors", "watch"),
            new ApiAccess("homenvr.io", "cameramonitors/status", "patch"),
            new ApiAccess("apps", "deployments", "create"));
  }

  @Test
  void everyRequestOfTheRecordedRunIsGrantedWhereItWasMade() {
    assertThat(recorded.accesses().stream().filter(a -> !grants.grants(a)).toList())
        .as(
            "the operator made these requests, which the chart's RBAC does not allow; add them to"
                + " homenvr.namespacedRules in helm/homenvr/templates/_helpers.tpl")
        .isEmpty();
  }

  @Test
  void everyDirectClientCallInTheSourcesIsUnderstoodAndGranted() {
    assertThat(scanned.unknown())
        .as("client calls OperatorSourceScan cannot map to RBAC; extend its tables (and the chart)")
        .isEmpty();
    Set<ApiAccess> granted = new TreeSet<>(grants.in(WATCHED));
    assertThat(scanned.accesses().stream().filter(a -> !granted.contains(a)).toList())
        .as("the operator's code calls these, which the chart's RBAC does not allow")
        .isEmpty();
  }

  @Test
  void theChartGrantsNothingTheOperatorDoesNotUse() {
    Set<ApiAccess> used = new TreeSet<>(scanned.accesses());
    recorded.accesses().forEach(a -> used.add(a.access()));
    used.addAll(LEASE_ACCESS);
    used.addAll(GRANTED_BY_DESIGN.keySet());
    assertThat(grants.all().stream().filter(a -> !used.contains(a)).toList())
        .as(
            "granted but neither used by the recorded run nor called in the operator's sources:"
                + " remove them from helm/homenvr/templates/_helpers.tpl")
        .isEmpty();
  }

  @Test
  void secretsAreOnlyEverRead() {
    assertThat(grants.all())
        .filteredOn(a -> a.resource().equals("secrets"))
        .extracting(ApiAccess::verb)
        .allMatch(verb -> Set.of("get", "list", "watch").contains(verb));
  }

  @Test
  void leaseRightsExistOnlyWithLeaderElectionAndOnlyInTheReleaseNamespace() {
    assertThat(grants.in(Chart.NAMESPACE)).containsAll(LEASE_ACCESS);
    assertThat(grants.in(WATCHED)).doesNotContainAnyElementsOf(LEASE_ACCESS);
    RbacGrants withoutElection =
        new RbacGrants(
            Chart.render(Map.of("watchNamespaces[0]", WATCHED, "leaderElection.enabled", false)),
            SERVICE_ACCOUNT);
    assertThat(withoutElection.all()).noneMatch(a -> a.group().equals("coordination.k8s.io"));
  }

  @Test
  void withWatchNamespacesOnlyNodesAreGrantedClusterWide() {
    assertThat(grants.clusterWide()).extracting(ApiAccess::resource).containsOnly("nodes");
    RbacGrants withoutNodes =
        new RbacGrants(
            Chart.render(Map.of("watchNamespaces[0]", WATCHED, "nodePressure.enabled", false)),
            SERVICE_ACCOUNT);
    assertThat(withoutNodes.clusterWide()).isEmpty();
  }

  @Test
  void withoutWatchNamespacesTheSameRulesAreGrantedClusterWide() {
    RbacGrants allNamespaces = new RbacGrants(Chart.render(Map.of()), SERVICE_ACCOUNT);
    Set<ApiAccess> namespaced =
        grants.in(WATCHED).stream()
            .filter(a -> !a.resource().equals("nodes"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(allNamespaces.clusterWide()).containsAll(namespaced);
    assertThat(allNamespaces.in("any-namespace")).isEqualTo(allNamespaces.clusterWide());
  }
}
