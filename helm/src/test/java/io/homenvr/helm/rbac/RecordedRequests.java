package io.homenvr.helm.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Turns an API server request (method and path) into the RBAC verb and resource it needs. */
final class RecordedRequests {
  private RecordedRequests() {}

  /**
   * The access a request needs, or empty for non-resource paths ({@code /api}, {@code /apis/...}
   * discovery, {@code /version}) that every authenticated user may read.
   */
  static Optional<ScopedAccess> accessOf(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    List<String> segments =
        Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    List<String> rest;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      rest = segments.subList(3, segments.size());
    } else {
      return Optional.empty();
    }
    String namespace = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
    boolean named = rest.size() >= 2;
    boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
    String verb =
        switch (method.toUpperCase()) {
          case "GET" -> named ? "get" : watch ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> throw new IllegalArgumentException("unexpected HTTP method " + method);
        };
    return Optional.of(new ScopedAccess(namespace, new ApiAccess(group, resource, verb)));
  }
}
