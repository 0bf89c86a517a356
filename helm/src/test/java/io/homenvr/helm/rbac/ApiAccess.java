package io.homenvr.helm.rbac;

/**
 * One thing RBAC decides: a verb on a resource (with its subresource, e.g. {@code pods/log}) of an
 * API group ({@code ""} is the core group).
 */
public record ApiAccess(String group, String resource, String verb)
    implements Comparable<ApiAccess> {

  @Override
  public int compareTo(ApiAccess other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
  }
}
