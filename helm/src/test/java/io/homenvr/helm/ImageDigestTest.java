package io.homenvr.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** image.digest pins each image as repository@digest; Deployments keep a bounded history. */
class ImageDigestTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void aDigestWinsOverTheTagForEveryImage() {
    List<HasMetadata> objects =
        Chart.render(
            Map.of(
                "image.digest", DIGEST,
                "image.tag", "ignored",
                "pipeline.image.digest", DIGEST,
                "aifix.image.digest", DIGEST));
    Container operator = ChartOptionsTest.operatorContainer(objects);
    assertThat(operator.getImage()).isEqualTo("homenvr-operator@" + DIGEST);
    assertThat(operator.getEnv())
        .extracting(EnvVar::getValue)
        .contains("homenvr-pipeline@" + DIGEST, "homenvr-aifix@" + DIGEST);
  }

  @Test
  void theDeploymentKeepsThreeRevisions() {
    assertThat(
            Chart.ofType(Chart.render(Map.of()), Deployment.class)
                .get(0)
                .getSpec()
                .getRevisionHistoryLimit())
        .isEqualTo(3);
  }
}
