package io.homenvr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD is generated here, at build time in the test phase, and compared with every committed
 * copy; {@code -Dhomenvr.updateCrds=true} rewrites the copies instead of failing.
 */
class CrdDriftTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final List<Path> COMMITTED_COPIES =
      List.of(
          MODULE.resolve(CameraMonitorCrd.FILE_NAME),
          MODULE.resolveSibling("helm/homenvr/crds").resolve(CameraMonitorCrd.FILE_NAME),
          MODULE.resolveSibling("k3s").resolve(CameraMonitorCrd.FILE_NAME));
  private static final String UPDATE_COMMAND = "mvn -pl crds test -Dhomenvr.updateCrds=true";

  @Test
  void everyCommittedCopyEqualsTheCrdGeneratedFromTheModel() throws IOException {
    String generated = CameraMonitorCrd.generateYaml();
    if (Boolean.getBoolean("homenvr.updateCrds")) {
      for (Path copy : COMMITTED_COPIES) {
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, generated, StandardCharsets.UTF_8);
      }
      // the jar is packaged after this phase from target/classes, so refresh that copy too
      Path packaged = MODULE.resolve("target/classes").resolve(CameraMonitorCrd.FILE_NAME);
      Files.createDirectories(packaged.getParent());
      Files.writeString(packaged, generated, StandardCharsets.UTF_8);
    }
    List<String> drifted = new ArrayList<>();
    for (Path copy : COMMITTED_COPIES) {
      if (!Files.exists(copy)
          || !Files.readString(copy, StandardCharsets.UTF_8).equals(generated)) {
        drifted.add(MODULE.getParent().relativize(copy).toString());
      }
    }
    assertThat(drifted)
        .as(
            "these committed CRD copies differ from the CRD generated from the model in"
                + " crds/src/main/java/io/homenvr/api/v1alpha1; run `%s` and commit them",
            UPDATE_COMMAND)
        .isEmpty();
  }
}
