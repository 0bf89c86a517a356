package io.homenvr.helm.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.helm.ChartRelease;
import io.homenvr.helm.InstalledOperator;
import io.homenvr.testing.AuditLog;
import io.homenvr.testing.RealCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chart's RBAC proven on a real API server: helm installs the chart, the production operator
 * runs with a token of the chart's ServiceAccount and the chart's environment, a CameraMonitor goes
 * through the whole ladder ({@link LadderRun}), and the API server's audit log says what the
 * operator asked for and whether RBAC allowed it. Nothing may be refused, and every rule the chart
 * grants must have been used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OperatorRbacProof {
  /**
   * Granted without this run needing it, each for a stated reason. Keep it short: an entry here is
   * a right the operator holds without a request that proves it needs it.
   */
  static final Map<ApiAccess, String> GRANTED_BEYOND_THE_RUN =
      Map.of(
          new ApiAccess("homenvr.io", "cameramonitors/finalizers", "update"),
          "checked by the OwnerReferencesPermissionEnforcement admission plugin (OpenShift, and"
              + " clusters that enable it) when the operator sets blockOwnerDeletion on what it"
              + " owns: no request of its own, so never in the audit log",
          new ApiAccess("coordination.k8s.io", "leases", "update"),
          "JOSDK's LeaderElectionManager asks for create, update and get on leases (a"
              + " SelfSubjectRulesReview) and does not elect without them; fabric8's LeaseLock"
              + " then renews with patch",
          new ApiAccess("homenvr.io", "cameramonitors", "patch"),
          "the ladder removes the homenvr.io/revert-override annotation (a metadata-only merge"
              + " patch) once it has reverted an AI fix's override: no revert in this run; the"
              + " operator never patches the spec",
          new ApiAccess("", "pods", "delete"),
          "HealthLadder deletes by name a pipeline pod that outlived a restart written to status"
              + " (the operator stopped between writing and deleting): no such crash in this run");

  private final RealCluster cluster = RealCluster.shared();
  private String watched;
  private ChartRelease release;
  private int pipelinePodsDeleted;
  private ConditionTimeoutException ladderStuck;
  private String releaseNamespace;

  /** The release's name: unique in the JVM, since the chart names its ClusterRoles after it. */
  abstract String releaseName();

  abstract Map<String, Object> values(String watchedNamespace);

  @BeforeAll
  void installTheChartAndDriveTheOperatorThroughTheLadder() throws Exception {
    releaseNamespace = cluster.createNamespace("rbac-release");
    watched = cluster.createNamespace("rbac-nvr");
    release = ChartRelease.install(cluster, releaseName(), releaseNamespace, values(watched));
    try (LadderRun run = new LadderRun(cluster, watched);
        InstalledOperator operator = InstalledOperator.start(cluster, release)) {
      try {
        run.throughTheWholeLadder();
      } catch (ConditionTimeoutException stuck) {
        // a refused request stops the ladder: the tests below say which
        ladderStuck = stuck;
      } finally {
        pipelinePodsDeleted = run.pipelinePodsDeleted();
      }
    }
  }

  @AfterAll
  void removeTheReleaseAndItsNamespaces() {
    if (release != null) {
      release.uninstall();
    }
    cluster.admin().resources(CameraMonitor.class).inNamespace(watched).delete();
    cluster.admin().namespaces().withName(watched).delete();
    cluster.admin().namespaces().withName(releaseNamespace).delete();
  }

  private List<AuditLog.Entry> operatorRequests() {
    return cluster.audit().entriesOf(release.serviceAccountUser());
  }

  @Test
  void theOperatorWentThroughTheLadder() {
    assertThat(ladderStuck).as("the ladder stopped short").isNull();
    assertThat(pipelinePodsDeleted)
        .as("pipeline pods deleted: two restarts, and the old pod after the fix's rollout")
        .isGreaterThanOrEqualTo(3);
    assertThat(operatorRequests())
        .extracting(AuditLog.Entry::resourceName)
        .contains(
            "leases.coordination.k8s.io",
            "jobs.batch",
            "pods/log",
            "pods.metrics.k8s.io",
            "nodes",
            "events",
            "cameramonitors/status.homenvr.io");
  }

  @Test
  void noRequestOfTheOperatorWasRefused() {
    assertThat(operatorRequests())
        .filteredOn(e -> !e.allowed())
        .extracting(e -> e.verb() + " " + e.uri())
        .as(
            "the operator, running as the chart's ServiceAccount, was refused these: grant them"
                + " in homenvr.namespacedRules (helm/homenvr/templates/_helpers.tpl)")
        .isEmpty();
  }

  @Test
  void everyRuleTheChartGrantsWasUsed() {
    Set<ScopedAccess> granted =
        new RbacGrants(release.rbac(), releaseNamespace, release.serviceAccount()).scoped();
    assertThat(granted).as("the release's RBAC").isNotEmpty();
    // a watch is audited when it ends: the operator is stopped, its watches are closing
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(unused(granted))
                    .as(
                        "granted by the chart but never used by the operator through the whole"
                            + " ladder: remove from helm/homenvr/templates/_helpers.tpl, or"
                            + " justify in GRANTED_BEYOND_THE_RUN")
                    .isEmpty());
  }

  /** Grants no allowed request of the operator used, in the grant's namespace (or anywhere). */
  private Set<ScopedAccess> unused(Set<ScopedAccess> granted) {
    List<ScopedAccess> used =
        operatorRequests().stream()
            .filter(AuditLog.Entry::allowed)
            .flatMap(OperatorRbacProof::accesses)
            .toList();
    return granted.stream()
        .filter(g -> !GRANTED_BEYOND_THE_RUN.containsKey(g.access()))
        .filter(
            g ->
                used.stream()
                    .noneMatch(
                        u ->
                            u.access().equals(g.access())
                                && (g.namespace().isEmpty()
                                    || g.namespace().equals(u.namespace()))))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The accesses one request was authorized for: its verb, and create too for a server-side apply
   * that created the object (the API server authorizes that as both; it answers 201).
   */
  static Stream<ScopedAccess> accesses(AuditLog.Entry entry) {
    String resource =
        entry.subresource().isEmpty()
            ? entry.resource()
            : entry.resource() + "/" + entry.subresource();
    Stream<String> verbs =
        entry.verb().equals("patch") && entry.code() == 201
            ? Stream.of("patch", "create")
            : Stream.of(entry.verb());
    return verbs.map(
        verb ->
            new ScopedAccess(entry.namespace(), new ApiAccess(entry.apiGroup(), resource, verb)));
  }
}
