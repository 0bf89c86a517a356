package io.homenvr.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsListBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.homenvr.api.v1alpha1.CameraMonitor;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher plus what kubectl and the operator need from a real API server:
 * discovery, admission of CameraMonitors, pod logs and pod metrics from the local kubelet.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {
  private static final Pattern POD_LOG =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$");
  private static final Pattern POD_METRICS =
      Pattern.compile("^/apis/metrics\\.k8s\\.io/v1beta1/namespaces/([^/]+)/pods(?:/([^/]+))?$");
  private static final Pattern CAMERA_MONITORS =
      Pattern.compile(
          "^/apis/"
              + Pattern.quote(CameraMonitor.GROUP + "/" + CameraMonitor.VERSION)
              + "/namespaces/([^/]+)/"
              + CameraMonitor.PLURAL
              + "(?:/([^/]+))?$");

  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ObjectMapper json = new ObjectMapper();
  private final Discovery discovery = new Discovery(serialization);
  private final Tables tables = new Tables();
  private final Admission admission = new Admission();
  private final KubeletView kubelet;
  private final Consumer<String> requestLog;

  SandboxDispatcher(KubeletView kubelet, Consumer<String> requestLog) {
    this.kubelet = kubelet;
    this.requestLog = requestLog;
  }

  /** Makes discovery, printing and admission aware of an installed CRD. */
  void addCustomResource(
      io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd) {
    discovery.addCustomResource(crd);
    tables.addCustomResource(crd);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String[] pathAndQuery = request.getPath().split("\\?", 2);
    String path = pathAndQuery[0];
    Map<String, String> query = query(pathAndQuery.length > 1 ? pathAndQuery[1] : "");
    String method = request.getMethod();
    requestLog.accept(method + " " + request.getPath());
    if (method.equals("GET")) {
      var document = discovery.document(path);
      if (document.isPresent()) {
        return json(200, document.get());
      }
      if (path.startsWith("/openapi/")) {
        return status(404, "NotFound", "the sandbox serves no OpenAPI v2 document");
      }
      Matcher log = POD_LOG.matcher(path);
      if (log.matches()) {
        return podLog(log.group(1), log.group(2), query);
      }
      Matcher metrics = POD_METRICS.matcher(path);
      if (metrics.matches()) {
        return podMetrics(metrics.group(1), metrics.group(2));
      }
      if (!query.containsKey("watch")) {
        MockResponse response =
            query.containsKey("fieldSelector")
                ? FieldSelectors.filter(
                    super.dispatch(withoutFieldSelector(request)), query.get("fieldSelector"), json)
                : super.dispatch(request);
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("as=Table")) {
          return asTable(path, response);
        }
        return typedList(path, withJsonContentType(response));
      }
    }
    boolean cameraMonitor = CAMERA_MONITORS.matcher(path).matches();
    if (method.equals("PATCH")) {
      return patch(request, path, query, cameraMonitor);
    }
    if (cameraMonitor && (method.equals("POST") || method.equals("PUT"))) {
      try {
        Admitted admitted = admit(json.readTree(request.getUtf8Body()), query);
        return admitted.rejection() != null
            ? admitted.rejection()
            : super.dispatch(withBody(request, request.method(), admitted.body()));
      } catch (IOException e) {
        return status(400, "BadRequest", "the request body is no JSON object: " + e.getMessage());
      }
    }
    return withJsonContentType(super.dispatch(request));
  }

  /** kubectl decodes a body without a Content-Type as protobuf, which the mock never sends. */
  private static MockResponse withJsonContentType(MockResponse response) {
    if (response.getHeaders().get("Content-Type") == null) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }

  /**
   * The mock calls every list "List"; kubectl decodes typed lists (an EventList for describe, a
   * PodList for logs), so name the list after its resource.
   */
  private MockResponse typedList(String path, MockResponse response) {
    String resource = resourceOf(path);
    if (response.code() != 200 || resource == null) {
      return response;
    }
    String[] segments = path.replaceFirst("^/", "").split("/");
    String groupVersion = segments[0].equals("api") ? segments[1] : segments[1] + "/" + segments[2];
    try {
      String body = response.getBody().readUtf8();
      JsonNode list = json.readTree(body);
      var kind = discovery.listKind(groupVersion, resource);
      if ("List".equals(list.path("kind").asText()) && kind.isPresent()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) list)
            .put("kind", kind.get())
            .put("apiVersion", groupVersion);
        return json(200, json.writeValueAsString(list));
      }
      return json(200, body);
    } catch (IOException e) {
      return response;
    }
  }

  private static RecordedRequest withoutFieldSelector(RecordedRequest request) {
    String path =
        request.getPath().replaceAll("([?&])fieldSelector=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return new RecordedRequest(
        request.getHttpVersion(), request.method(), path, request.getHeaders(), request.getBody());
  }

  /**
   * Applies the patch here (correctly, see {@link Patches}), admits the result if it is a
   * CameraMonitor, and stores it with a PUT.
   */
  private MockResponse patch(
      RecordedRequest request, String path, Map<String, String> query, boolean cameraMonitor) {
    String contentType = request.getHeader("Content-Type");
    if (!Patches.isMergePatch(contentType) && !Patches.isJsonPatch(contentType)) {
      return super.dispatch(request);
    }
    if (cameraMonitor && contentType.startsWith("application/strategic-merge-patch+json")) {
      return status(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include:"
              + " application/json-patch+json, application/merge-patch+json");
    }
    MockResponse current = handleGet(path.replaceFirst("/status$", ""));
    if (current.code() != 200) {
      return current;
    }
    try {
      JsonNode patched =
          Patches.apply(
              json.readTree(current.getBody().readUtf8()),
              json.readTree(request.getUtf8Body()),
              contentType);
      String body = json.writeValueAsString(patched);
      if (cameraMonitor) {
        Admitted admitted = admit(patched, query);
        if (admitted.rejection() != null) {
          return admitted.rejection();
        }
        body = admitted.body();
      }
      return super.dispatch(withBody(request, HttpMethod.PUT, body));
    } catch (Exception e) {
      return status(422, "Invalid", "the patch could not be applied: " + e.getMessage());
    }
  }

  /** Either the body to store or the response that rejects the request. */
  private record Admitted(String body, MockResponse rejection) {}

  private Admitted admit(JsonNode object, Map<String, String> query) throws IOException {
    Admission.Decision decision =
        admission.admit(object, query.getOrDefault("fieldValidation", ""));
    if (!decision.admitted()) {
      requestLog.accept("rejected: " + decision.rejection().getMessage());
      return new Admitted(
          null, json(decision.rejection().getCode(), serialization.asJson(decision.rejection())));
    }
    return new Admitted(json.writeValueAsString(decision.object()), null);
  }

  private MockResponse asTable(String path, MockResponse response) {
    String resource = resourceOf(path);
    if (response.code() != 200 || resource == null) {
      return response;
    }
    try {
      String body = response.getBody().readUtf8();
      return tables
          .table(resource, body)
          .map(table -> json(200, table))
          .orElseGet(() -> json(200, body));
    } catch (Exception e) {
      return status(500, "InternalError", "could not print a table: " + e.getMessage());
    }
  }

  /** The plural in /api/v1/[namespaces/x/]plural[/name] or /apis/g/v/…; null for subresources. */
  private static String resourceOf(String path) {
    String[] segments = path.replaceFirst("^/", "").split("/");
    int start = segments[0].equals("api") ? 2 : segments[0].equals("apis") ? 3 : -1;
    if (start < 0 || segments.length <= start) {
      return null;
    }
    int plural =
        segments[start].equals("namespaces") && segments.length > start + 2 ? start + 2 : start;
    return segments.length <= plural + 2 ? segments[plural] : null;
  }

  private MockResponse podLog(String namespace, String pod, Map<String, String> query) {
    Integer tailLines =
        query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null;
    boolean timestamps = Boolean.parseBoolean(query.getOrDefault("timestamps", "false"));
    return kubelet
        .logs(namespace, pod, tailLines, timestamps)
        .map(
            log ->
                new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "text/plain")
                    .setBody(log))
        .orElseGet(() -> status(404, "NotFound", "pods \"" + pod + "\" not found"));
  }

  private MockResponse podMetrics(String namespace, String pod) {
    if (pod == null) {
      return json(
          200,
          serialization.asJson(
              new PodMetricsListBuilder().withItems(kubelet.metrics(namespace)).build()));
    }
    return kubelet
        .metrics(namespace, pod)
        .map(metrics -> json(200, serialization.asJson(metrics)))
        .orElseGet(
            () -> status(404, "NotFound", "podmetrics.metrics.k8s.io \"" + pod + "\" not found"));
  }

  private static RecordedRequest withBody(RecordedRequest request, HttpMethod method, String body) {
    return new RecordedRequest(
        request.getHttpVersion(),
        method,
        request.getPath(),
        request.getHeaders(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private MockResponse status(int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .build();
    return json(code, serialization.asJson(status));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  private static Map<String, String> query(String query) {
    Map<String, String> parameters = new HashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      parameters.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return parameters;
  }
}
