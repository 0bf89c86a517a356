package io.homenvr.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.TolerationSchema;
import io.homenvr.api.v1alpha1.status.CameraMonitorStatus;

/** A home NVR camera pipeline that homenvr runs, watches for behaviour and heals in tiers. */
@ValidationRule(
    value = "has(self.spec)",
    message = "spec is required: a CameraMonitor needs at least spec.cameras",
    reason = "FieldValueRequired",
    fieldPath = ".spec")
@SchemaSwap(
    originalType = Toleration.class,
    fieldName = "operator",
    targetType = TolerationSchema.Operator.class)
@SchemaSwap(
    originalType = Toleration.class,
    fieldName = "effect",
    targetType = TolerationSchema.Effect.class)
@Group(CameraMonitor.GROUP)
@Version(CameraMonitor.VERSION)
@Kind(CameraMonitor.KIND)
@Plural(CameraMonitor.PLURAL)
@Singular("cameramonitor")
@ShortNames("cammon")
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Healthy, Degraded, Recovering, Fixing, NeedsAttention or Invalid")
@AdditionalPrinterColumn(
    name = "Cameras",
    jsonPath = ".status.cameraCount",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Cameras in the spec")
@AdditionalPrinterColumn(
    name = "Healthy",
    jsonPath = ".status.healthyCameras",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Cameras whose frames are flowing")
@AdditionalPrinterColumn(
    name = "Restarts",
    jsonPath = ".status.recovery.restarts",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Pipeline restarts in the current incident")
@AdditionalPrinterColumn(
    name = "Stage",
    jsonPath = ".status.recovery.stage",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "Where the recovery ladder stands: Idle, External, AwaitingRecovery, ...")
@AdditionalPrinterColumn(
    name = "Last Check",
    jsonPath = ".status.lastCheckTime",
    type = AdditionalPrinterColumn.Type.DATE,
    priority = 1,
    getDescription = "When a health check last judged the pipeline")
@AdditionalPrinterColumn(
    name = "Config Override",
    jsonPath = ".status.overrides.config.change",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "A configuration change an AI fix applied as an override, if any")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CameraMonitor extends CustomResource<CameraMonitorSpec, CameraMonitorStatus>
    implements Namespaced {
  public static final String GROUP = "homenvr.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "CameraMonitor";
  public static final String PLURAL = "cameramonitors";
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  /** The schema root's description ({@code kubectl explain cameramonitor}). */
  public static final String DESCRIPTION =
      "A home NVR camera pipeline that homenvr runs, watches for behaviour (frames flowing, logs"
          + " moving, no CPU spin) and heals in tiers: restart, an AI fix, then a human.";

  /** metadata.name is a DNS label that starts with a letter (RFC 1035), as a Service name must. */
  public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** Room for the longest child name, {@code <name>-pipeline}, in a 63-character DNS label. */
  public static final int MAX_NAME_LENGTH = 45;
}
