package io.homenvr.helm.rbac;

/** An access in a namespace; {@code ""} for cluster-scoped resources and all-namespace lists. */
public record ScopedAccess(String namespace, ApiAccess access) implements Comparable<ScopedAccess> {

  @Override
  public int compareTo(ScopedAccess other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return access + (namespace.isEmpty() ? " (cluster-wide)" : " in " + namespace);
  }
}
