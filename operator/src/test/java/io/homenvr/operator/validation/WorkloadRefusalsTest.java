package io.homenvr.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which workflow failures are the API server refusing an object, and how they read. */
class WorkloadRefusalsTest {
  private static final KubernetesClientException REFUSED =
      new KubernetesClientException(
          new StatusBuilder()
              .withCode(422)
              .withReason("Invalid")
              .withMessage("Deployment.apps \"home-pipeline\" is invalid: ...")
              .withNewDetails()
              .withKind("Deployment")
              .withName("home-pipeline")
              .addNewCause()
              .withField("spec.template.spec.tolerations[0].operator")
              .withMessage(
                  "Invalid value: \"nvr\": value must be empty when `operator` is 'Exists'")
              .endCause()
              .endDetails()
              .build());

  @Test
  void aRefusedDependentBecomesOneErrorPerFieldTheServerNamed() {
    RuntimeException failure =
        new AggregatedOperatorException(
            "workflow failed", Map.of("pipeline", new OperatorException(REFUSED)));

    assertThat(WorkloadRefusals.of(failure))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.reason()).isEqualTo(SpecError.Reason.WorkloadRefused);
              assertThat(error.toString())
                  .isEqualTo(
                      "spec.template.spec.tolerations[0].operator: Invalid value: \"nvr\": value"
                          + " must be empty when `operator` is 'Exists'; the API server refused"
                          + " Deployment home-pipeline, which homenvr builds from this"
                          + " CameraMonitor's spec");
            });
  }

  @Test
  void aRefusalWithoutCausesIsReportedWithTheServersMessage() {
    Status status =
        new StatusBuilder().withCode(422).withMessage("PersistentVolumeClaim is invalid").build();

    assertThat(WorkloadRefusals.of(new KubernetesClientException(status)))
        .singleElement()
        .asString()
        .startsWith("spec: PersistentVolumeClaim is invalid; the API server refused an object");
  }

  @Test
  void otherFailuresAreLeftToJosdksRetry() {
    KubernetesClientException unavailable =
        new KubernetesClientException(new StatusBuilder().withCode(503).build());

    assertThat(WorkloadRefusals.of(unavailable)).isEmpty();
    assertThat(WorkloadRefusals.of(new IllegalStateException("informer not synced"))).isEmpty();
    assertThat(
            WorkloadRefusals.of(
                new AggregatedOperatorException(
                    "workflow failed", Map.of("pipeline", REFUSED, "service", unavailable))))
        .isEmpty();
  }
}
