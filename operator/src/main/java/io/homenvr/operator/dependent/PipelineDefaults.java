package io.homenvr.operator.dependent;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the operator fills in where a spec says nothing, handed to the dependents through the
 * workflow context (JOSDK instantiates managed dependents itself).
 *
 * @param pipelineImage the homenvr-pipeline image released with this operator
 */
public record PipelineDefaults(String pipelineImage) {
  private static final String KEY = PipelineDefaults.class.getName();

  public void attachTo(Context<CameraMonitor> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  static PipelineDefaults of(Context<CameraMonitor> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(KEY, PipelineDefaults.class);
  }
}
