package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodSecurityRestrictedTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.homenvr.helm.Scenarios#all")
  void everyRenderedPodMeetsRestricted(String scenario, Map<String, Object> values) {
    List<PodSpec> pods = podSpecs(Chart.render(values));

    assertThat(pods).isNotEmpty();
    pods.forEach(pod -> assertThat(RestrictedPodSecurity.violations(pod)).isEmpty());
  }

  @Test
  void theRootFilesystemIsReadOnlyAndTmpIsAnEmptyDir() {
    PodSpec pod = podSpecs(Chart.render(Map.of())).get(0);

    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(pod.getVolumes()).allMatch(v -> v.getEmptyDir() != null);
  }

  @Test
  void theCheckCatchesAWeakenedSecurityContext() {
    PodSpec pod =
        podSpecs(
                Chart.render(
                    Map.of(
                        "securityContext.allowPrivilegeEscalation",
                        true,
                        "securityContext.runAsNonRoot",
                        false,
                        "podSecurityContext.runAsNonRoot",
                        false,
                        "securityContext.capabilities.add[0]",
                        "SYS_ADMIN",
                        "securityContext.seccompProfile.type",
                        "Unconfined",
                        "podSecurityContext.seccompProfile.type",
                        "Unconfined")))
            .get(0);

    assertThat(RestrictedPodSecurity.violations(pod))
        .containsExactlyInAnyOrder(
            "container operator: securityContext.allowPrivilegeEscalation must be false",
            "container operator: securityContext.capabilities.add must not contain SYS_ADMIN",
            "container operator: securityContext.runAsNonRoot must be true (here or in the pod's"
                + " securityContext)",
            "container operator: securityContext.seccompProfile.type must be RuntimeDefault or"
                + " Localhost");
  }

  static List<PodSpec> podSpecs(List<HasMetadata> objects) {
    return Chart.ofType(objects, Deployment.class).stream()
        .map(d -> d.getSpec().getTemplate().getSpec())
        .toList();
  }
}
