package io.homenvr.helm.standin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cluster DNS and Service routing for the in-process operator: the operator reaches a pipeline at
 * its Service's name ({@code http://<name>.<namespace>.svc:8080}, see PipelineEndpointResolver);
 * here a JDK-wide {@link ProxySelector} sends requests for a registered {@code .svc} host to a
 * stand-in's loopback address (which serves absolute-form requests as it would direct ones). Every
 * other host goes direct. Installed before the operator builds its HTTP client, which reads the
 * default selector once.
 */
public final class ServiceNetwork extends ProxySelector {
  private static final ServiceNetwork INSTANCE = new ServiceNetwork();

  private final Map<String, InetSocketAddress> routes = new ConcurrentHashMap<>();

  private ServiceNetwork() {}

  /** The JVM's default ProxySelector from now on. */
  public static synchronized ServiceNetwork install() {
    if (ProxySelector.getDefault() != INSTANCE) {
      ProxySelector.setDefault(INSTANCE);
    }
    return INSTANCE;
  }

  /** {@code host} (e.g. {@code home-pipeline.nvr.svc}) now answers at {@code address}. */
  public void route(String host, InetSocketAddress address) {
    routes.put(host, address);
  }

  public void remove(String host) {
    routes.remove(host);
  }

  @Override
  public List<Proxy> select(URI uri) {
    InetSocketAddress target = uri.getHost() == null ? null : routes.get(uri.getHost());
    return target == null ? List.of(Proxy.NO_PROXY) : List.of(new Proxy(Proxy.Type.HTTP, target));
  }

  @Override
  public void connectFailed(URI uri, SocketAddress address, IOException e) {}
}
