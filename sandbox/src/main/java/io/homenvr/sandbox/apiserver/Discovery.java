package io.homenvr.sandbox.apiserver;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kubectl reads before it does anything ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}): fabric8's mock serves none of the built-in
 * ones, and without them {@code kubectl get cammon} cannot map the short name to a resource.
 */
final class Discovery {
  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private final KubernetesSerialization json;
  private final Map<String, List<APIResource>> groupVersions = new LinkedHashMap<>();

  Discovery(KubernetesSerialization json) {
    this.json = json;
    groupVersions.put(
        "v1",
        List.of(
            resource("pods", "Pod", true, "po"),
            subresource("pods/log", "Pod", List.of("get")),
            subresource("pods/status", "Pod", STATUS_VERBS),
            resource("services", "Service", true, "svc"),
            resource("configmaps", "ConfigMap", true, "cm"),
            resource("secrets", "Secret", true),
            resource("events", "Event", true, "ev"),
            resource("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
            resource("serviceaccounts", "ServiceAccount", true, "sa"),
            resource("namespaces", "Namespace", false, "ns")));
    groupVersions.put(
        "apps/v1",
        List.of(
            resource("deployments", "Deployment", true, "deploy"),
            subresource("deployments/status", "Deployment", STATUS_VERBS)));
    groupVersions.put(
        "batch/v1",
        List.of(resource("jobs", "Job", true), subresource("jobs/status", "Job", STATUS_VERBS)));
    groupVersions.put("coordination.k8s.io/v1", List.of(resource("leases", "Lease", true)));
    groupVersions.put("events.k8s.io/v1", List.of(resource("events", "Event", true, "ev")));
    groupVersions.put(
        "metrics.k8s.io/v1beta1",
        List.of(
            new APIResourceBuilder()
                .withName("pods")
                .withSingularName("")
                .withKind("PodMetrics")
                .withNamespaced(true)
                .withVerbs("get", "list")
                .build()));
    groupVersions.put(
        "apiextensions.k8s.io/v1",
        List.of(resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd")));
  }

  /** Adds the resources of an installed CRD, with its short names. */
  void addCustomResource(CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<APIResource> resources = new ArrayList<>();
      resources.add(
          new APIResourceBuilder()
              .withName(names.getPlural())
              .withSingularName(names.getSingular())
              .withKind(names.getKind())
              .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
              .withShortNames(names.getShortNames())
              .withCategories(names.getCategories())
              .withVerbs(ALL_VERBS)
              .build());
      if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
        resources.add(subresource(names.getPlural() + "/status", names.getKind(), STATUS_VERBS));
      }
      groupVersions.put(crd.getSpec().getGroup() + "/" + version.getName(), resources);
    }
  }

  /** The kind of a resource's list, e.g. PodList for v1 pods; empty if unknown. */
  Optional<String> listKind(String groupVersion, String plural) {
    return groupVersions.getOrDefault(groupVersion, List.of()).stream()
        .filter(resource -> resource.getName().equals(plural))
        .map(resource -> resource.getKind() + "List")
        .findFirst();
  }

  /** The document for a discovery path, or empty when the path is no discovery path. */
  Optional<String> document(String path) {
    if (path.startsWith("/openapi/v3")) {
      return openApiV3(path);
    }
    if (path.equals("/api")) {
      return Optional.of(
          json.asJson(
              new APIVersionsBuilder()
                  .withVersions("v1")
                  .withServerAddressByClientCIDRs(List.of())
                  .build()));
    }
    if (path.equals("/apis")) {
      return Optional.of(json.asJson(new APIGroupListBuilder().withGroups(groups()).build()));
    }
    String groupVersion =
        path.startsWith("/api/")
            ? path.substring("/api/".length())
            : path.replaceFirst("^/apis/", "");
    if (!path.startsWith("/api")) {
      return Optional.empty();
    }
    if (groupVersions.containsKey(groupVersion)) {
      return Optional.of(
          json.asJson(
              new APIResourceListBuilder()
                  .withGroupVersion(groupVersion)
                  .withResources(groupVersions.get(groupVersion))
                  .build()));
    }
    return groups().stream()
        .filter(group -> path.equals("/apis/" + group.getName()))
        .findFirst()
        .map(json::asJson);
  }

  /**
   * Just enough OpenAPI v3 for kubectl to see that the server validates fields itself (it then
   * sends {@code fieldValidation=Strict} and leaves validation to the server, as with a real one):
   * an index, and per group version the PATCH operations with that parameter. No schemas, so
   * kubectl patches custom resources with JSON merge patches, as it does on a real cluster.
   */
  private Optional<String> openApiV3(String path) {
    if (path.equals("/openapi/v3")) {
      Map<String, Object> paths = new LinkedHashMap<>();
      for (String groupVersion : groupVersions.keySet()) {
        String prefix = groupVersion.contains("/") ? "apis/" : "api/";
        paths.put(
            prefix + groupVersion,
            Map.of("serverRelativeURL", "/openapi/v3/" + prefix + groupVersion + "?hash=sandbox"));
      }
      return Optional.of(json.asJson(Map.of("paths", paths)));
    }
    String groupVersion = path.replaceFirst("^/openapi/v3/apis?/", "");
    List<APIResource> resources = groupVersions.get(groupVersion);
    if (resources == null) {
      return Optional.empty();
    }
    String group =
        groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
    String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
    String base = (group.isEmpty() ? "/api/" : "/apis/") + groupVersion;
    Map<String, Object> paths = new LinkedHashMap<>();
    for (APIResource resource : resources) {
      if (resource.getName().contains("/")) {
        continue;
      }
      String resourcePath =
          base
              + (Boolean.TRUE.equals(resource.getNamespaced()) ? "/namespaces/{namespace}/" : "/")
              + resource.getName()
              + "/{name}";
      paths.put(
          resourcePath,
          Map.of(
              "patch",
              Map.of(
                  "x-kubernetes-action",
                  "patch",
                  "x-kubernetes-group-version-kind",
                  Map.of("group", group, "version", version, "kind", resource.getKind()),
                  "parameters",
                  List.of(
                      Map.of(
                          "name",
                          "fieldValidation",
                          "in",
                          "query",
                          "schema",
                          Map.of("type", "string"))),
                  "responses",
                  Map.of("200", Map.of("description", "OK")))));
    }
    return Optional.of(
        json.asJson(
            Map.of(
                "openapi",
                "3.0.0",
                "info",
                Map.of("title", "homenvr sandbox", "version", version),
                "paths",
                paths,
                "components",
                Map.of("schemas", Map.of()))));
  }

  private List<APIGroup> groups() {
    List<APIGroup> groups = new ArrayList<>();
    for (String groupVersion : groupVersions.keySet()) {
      if (!groupVersion.contains("/")) {
        continue;
      }
      String group = groupVersion.substring(0, groupVersion.indexOf('/'));
      var version =
          new GroupVersionForDiscoveryBuilder()
              .withGroupVersion(groupVersion)
              .withVersion(groupVersion.substring(group.length() + 1))
              .build();
      groups.add(
          new APIGroupBuilder()
              .withName(group)
              .withVersions(version)
              .withPreferredVersion(version)
              .build());
    }
    return groups;
  }

  private static APIResource resource(
      String plural, String kind, boolean namespaced, String... shortNames) {
    return new APIResourceBuilder()
        .withName(plural)
        .withSingularName(kind.toLowerCase())
        .withKind(kind)
        .withNamespaced(namespaced)
        .withShortNames(shortNames)
        .withVerbs(ALL_VERBS)
        .build();
  }

  private static APIResource subresource(String name, String kind, List<String> verbs) {
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName("")
        .withKind(kind)
        .withNamespaced(true)
        .withVerbs(verbs)
        .build();
  }
}
