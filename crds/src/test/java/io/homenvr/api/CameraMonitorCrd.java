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
 * {@link CameraMonitor} declare. Another one describes what the generator leaves undescribed (the
 * schema root, and the fields of the Kubernetes types the model embeds: ResourceRequirements,
 * Toleration, Condition), so {@code kubectl explain} teaches every level. A third restricts
 * metadata.name, which the model cannot annotate.
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
                HasMetadata named = new ObjectNameRestriction().process(ordered, crdSpecVersion);
                return new MissingDescriptions().process(named, crdSpecVersion);
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

  /**
   * The API server checks metadata.name against the schema's restrictions, the only ones it allows
   * on metadata, and names the field when it refuses one.
   */
  private static final class ObjectNameRestriction implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        JSONSchemaProps name = new JSONSchemaProps();
        name.setType("string");
        name.setMaxLength((long) CameraMonitor.MAX_NAME_LENGTH);
        name.setPattern(CameraMonitor.NAME_PATTERN);
        name.setDescription(
            "A DNS label of at most "
                + CameraMonitor.MAX_NAME_LENGTH
                + " characters that starts with a letter: the pipeline's objects are named"
                + " <name>-pipeline.");
        JSONSchemaProps metadata = new JSONSchemaProps();
        metadata.setType("object"); // no description: the API server allows none here
        metadata.setProperties(Map.of("name", name));
        version.getSchema().getOpenAPIV3Schema().getProperties().put("metadata", metadata);
      }
      return crd;
    }
  }

  private static final class MissingDescriptions implements CRDPostProcessor {
    private static final Map<String, String> DESCRIPTIONS =
        Map.ofEntries(
            Map.entry(
                "spec",
                "What the user wants: the cameras, the services around them and how hard to try"
                    + " healing."),
            Map.entry(
                "status", "What homenvr observed and did; written by the operator, never by hand."),
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
        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
        root.setDescription(CameraMonitor.DESCRIPTION);
        describe(root, "");
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
