package io.homenvr.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.homenvr.api.v1alpha1.CameraMonitor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the CameraMonitor CRD from the model with fabric8's CRD generator API, in memory.
 *
 * <p>The API rather than the Maven plugin because the generator sorts printer columns
 * alphabetically (Age first); a post-processor puts them back in the order the annotations on
 * {@link CameraMonitor} declare. Another one describes the fields of the Kubernetes types the model
 * embeds (ResourceRequirements, Toleration, Condition), which carry no descriptions, so {@code
 * kubectl explain} teaches every field.
 */
final class CameraMonitorCrd {
  /** The file name fabric8 gives the CRD, also its classpath resource name. */
  static final String FILE_NAME = CameraMonitor.CRD_NAME + "-v1.yml";

  private CameraMonitorCrd() {}

  static String generateYaml() {
    Map<String, ByteArrayOutputStream> outputs = new LinkedHashMap<>();
    new CRDGenerator()
        .customResourceClasses(CameraMonitor.class)
        .forCRDVersions("v1")
        .withPostProcessor(
            new CRDPostProcessor() {
              @Override
              public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                HasMetadata ordered =
                    new PrinterColumnsInDeclaredOrder().process(crd, crdSpecVersion);
                return new BuiltInTypeDescriptions().process(ordered, crdSpecVersion);
              }
            })
        .withOutput(
            new CRDGenerator.CRDOutput<ByteArrayOutputStream>() {
              @Override
              public ByteArrayOutputStream outputFor(String crdName) {
                return outputs.computeIfAbsent(crdName, name -> new ByteArrayOutputStream());
              }

              @Override
              public void close() {}
            })
        .generate();
    if (outputs.size() != 1) {
      throw new IllegalStateException("expected one CRD, the generator wrote " + outputs.keySet());
    }
    return outputs.values().iterator().next().toString(StandardCharsets.UTF_8);
  }

  private static final class BuiltInTypeDescriptions implements CRDPostProcessor {
    private static final Map<String, String> DESCRIPTIONS =
        Map.ofEntries(
            Map.entry(
                "spec",
                "What the user wants: the cameras, the services around them and how hard to try"
                    + " healing."),
            Map.entry(
                "status", "What homenvr observed and did; written by the operator, never by hand."),
            Map.entry(
                "spec.pipeline.resources.claims",
                "Dynamic resource claims (DRA) the container uses; rarely needed."),
            Map.entry(
                "spec.pipeline.resources.claims[].name",
                "Name of one entry of the pod's spec.resourceClaims."),
            Map.entry(
                "spec.pipeline.resources.claims[].request",
                "Request inside that claim to use; empty uses the whole claim."),
            Map.entry(
                "spec.pipeline.resources.limits",
                "Most of each resource the container may use, e.g. cpu: \"2\", memory: 1536Mi."),
            Map.entry(
                "spec.pipeline.resources.requests",
                "Resources reserved for the container when it is scheduled, e.g. cpu: 250m,"
                    + " memory: 512Mi."),
            Map.entry(
                "spec.pipeline.tolerations[].effect",
                "Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches"
                    + " all."),
            Map.entry(
                "spec.pipeline.tolerations[].key",
                "Taint key the toleration applies to; empty with operator Exists matches every"
                    + " taint."),
            Map.entry(
                "spec.pipeline.tolerations[].operator",
                "Equal (default: the value must match) or Exists (any value)."),
            Map.entry(
                "spec.pipeline.tolerations[].tolerationSeconds",
                "For NoExecute: seconds the pod stays after the taint appears; unset is"
                    + " forever."),
            Map.entry(
                "spec.pipeline.tolerations[].value", "Taint value to match with operator Equal."),
            Map.entry(
                "status.conditions[].lastTransitionTime",
                "When the condition's status last changed (RFC 3339)."),
            Map.entry("status.conditions[].message", "What was seen, for a human."),
            Map.entry(
                "status.conditions[].observedGeneration",
                "The metadata.generation the condition was computed from."),
            Map.entry("status.conditions[].reason", "Why, in one CamelCase word."),
            Map.entry("status.conditions[].status", "True, False or Unknown."),
            Map.entry(
                "status.conditions[].type",
                "Ready, PipelineHealthy, DependenciesHealthy or Escalated."));

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        describe(version.getSchema().getOpenAPIV3Schema(), "");
      }
      return crd;
    }

    private static void describe(JSONSchemaProps schema, String path) {
      if (schema.getProperties() != null) {
        schema
            .getProperties()
            .forEach(
                (name, property) -> {
                  String propertyPath = path.isEmpty() ? name : path + "." + name;
                  if (property.getDescription() == null) {
                    property.setDescription(DESCRIPTIONS.get(propertyPath));
                  }
                  describe(property, propertyPath);
                });
      }
      if (schema.getItems() != null && schema.getItems().getSchema() != null) {
        describe(schema.getItems().getSchema(), path + "[]");
      }
    }
  }

  private static final class PrinterColumnsInDeclaredOrder implements CRDPostProcessor {
    private final List<String> declared =
        Arrays.stream(CameraMonitor.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      ((CustomResourceDefinition) crd)
          .getSpec()
          .getVersions()
          .forEach(
              version ->
                  version
                      .getAdditionalPrinterColumns()
                      .sort(
                          Comparator.comparingInt(
                              (CustomResourceColumnDefinition column) ->
                                  declared.indexOf(column.getName()))));
      return crd;
    }
  }
}
