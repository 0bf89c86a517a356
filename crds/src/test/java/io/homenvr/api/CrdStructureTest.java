package io.homenvr.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What `kubectl get` and `kubectl explain` need from the generated CRD. That the API server accepts
 * it, CEL rules and their cost included, is proven by installing it (operator's CrdAdmissionTest).
 */
class CrdStructureTest {
  private static final CustomResourceDefinition CRD =
      new KubernetesSerialization()
          .unmarshal(CameraMonitorCrd.generateYaml(), CustomResourceDefinition.class);

  @Test
  void everySchemaPropertyHasADescription() {
    List<String> undescribed = new ArrayList<>();
    JSONSchemaProps root = version().getSchema().getOpenAPIV3Schema();
    if (root.getDescription() == null || root.getDescription().isBlank()) {
      undescribed.add("<root>");
    }
    collectUndescribed(root, "", undescribed);

    assertThat(undescribed).as("properties without a description").isEmpty();
  }

  @Test
  void printerColumnsAreInTheDeclaredOrder() {
    assertThat(version().getAdditionalPrinterColumns())
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly(
            "Phase",
            "Cameras",
            "Healthy",
            "Restarts",
            "Stage",
            "Last Check",
            "Config Override",
            "Age");
  }

  @Test
  void stageAndLastCheckAreShownByWideOutputOnly() {
    assertThat(version().getAdditionalPrinterColumns())
        .filteredOn(c -> c.getPriority() != null && c.getPriority() == 1)
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            ".status.recovery.stage", ".status.lastCheckTime", ".status.overrides.config.change");
  }

  @Test
  void namesAndScope() {
    assertThat(CRD.getMetadata().getName()).isEqualTo("cameramonitors.homenvr.io");
    assertThat(CRD.getSpec().getNames().getShortNames()).containsExactly("cammon");
    assertThat(CRD.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(version().getName()).isEqualTo("v1alpha1");
  }

  @Test
  void statusIsASubresource() {
    assertThat(version().getSubresources().getStatus()).isNotNull();
  }

  private static CustomResourceDefinitionVersion version() {
    assertThat(CRD.getSpec().getVersions()).hasSize(1);
    return CRD.getSpec().getVersions().get(0);
  }

  private static void collectUndescribed(JSONSchemaProps schema, String path, List<String> out) {
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                String propertyPath = path.isEmpty() ? name : path + "." + name;
                boolean described =
                    property.getDescription() != null && !property.getDescription().isBlank();
                // the API server forbids a description on metadata; explain shows ObjectMeta's
                if (!described && !propertyPath.equals("metadata")) {
                  out.add(propertyPath);
                }
                collectUndescribed(property, propertyPath, out);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectUndescribed(schema.getItems().getSchema(), path + "[]", out);
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      collectUndescribed(schema.getAdditionalProperties().getSchema(), path + "{}", out);
    }
  }
}
