package io.homenvr.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.homenvr.operator.HomenvrOperator;
import io.homenvr.operator.config.OperatorConfig;
import io.homenvr.testing.RealCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Permission;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production operator as a release's Deployment would run it, but in this JVM (no kubelet runs
 * the real pod): the container's environment as the chart renders it, and a client authenticating
 * with a token of the chart's ServiceAccount, so it can do exactly what the chart's RBAC allows.
 */
public final class InstalledOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InstalledOperator.class);

  private final KubernetesClient client;
  private final HomenvrOperator operator;

  private InstalledOperator(KubernetesClient client, HomenvrOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  public static InstalledOperator start(RealCluster cluster, ChartRelease release) {
    Map<String, String> env = release.operatorEnv(release.name() + "-operator-in-test");
    // a free port instead of the container's; the port is no concern of the API server
    env.put(OperatorConfig.HTTP_PORT.env(), "0");
    KubernetesClient client = cluster.clientAs(release.namespace(), release.serviceAccount());
    try {
      return new InstalledOperator(
          client,
          HomenvrOperator.start(
              OperatorConfig.from(env, new String[0]), client, Clock.systemUTC()));
    } catch (IOException e) {
      client.close();
      throw new UncheckedIOException(e);
    }
  }

  public int httpPort() {
    return operator.httpPort();
  }

  /**
   * Stops the operator. JOSDK stops its informers before in-flight reconciliations end; one that
   * then registers its activation-conditioned informer (the PVC's) meets the closed client, and
   * JOSDK's default handler for a failed informer calls System.exit(1). In a pod that ends a
   * stopping process anyway; here it would end the test JVM, so an exit during the stop is refused
   * and logged.
   */
  @Override
  @SuppressWarnings("removal")
  public void close() {
    SecurityManager previous = System.getSecurityManager();
    System.setSecurityManager(new NoExitWhileStopping());
    try {
      operator.close();
      client.close();
    } finally {
      System.setSecurityManager(previous);
    }
  }

  @SuppressWarnings("removal")
  private static final class NoExitWhileStopping extends SecurityManager {
    @Override
    public void checkExit(int status) {
      log.warn("the stopping operator called System.exit({}): refused in tests", status);
      throw new SecurityException("System.exit(" + status + ") while the operator stops");
    }

    @Override
    public void checkPermission(Permission permission) {}

    @Override
    public void checkPermission(Permission permission, Object context) {}
  }
}
