package io.homenvr.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.homenvr.sandbox.scenario.ScenarioResult;
import io.homenvr.sandbox.scenario.Scenarios;
import io.homenvr.sandbox.system.SandboxLayout;
import io.homenvr.sandbox.system.SandboxSystem;
import io.homenvr.sandbox.system.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The whole system with real faults: the operator's production main, the real pipeline reading two
 * RTSP cameras, the local kubelet, Ollama and Telegram stand-ins. Each scenario injects one fault
 * and checks status, Events and Telegram with deadlines. Thresholds are short ({@link
 * Thresholds#FAST}: checks every 2 s, frames stale after 6 s, grace 15 s) to keep the suite within
 * a few minutes; {@code bin/sandbox --bench} measures with the defaults.
 */
class SandboxEndToEndTest {
  /** Kept after the run: operator.log and each pod's log are there when a scenario fails. */
  private static final Path RUN_DIR = Path.of("target/e2e-run");

  private static SandboxSystem system;
  private static Scenarios scenarios;

  @BeforeAll
  static void start() throws IOException {
    deleteRecursively(RUN_DIR);
    system =
        SandboxSystem.start(
            SandboxLayout.of(RUN_DIR),
            line -> {
              if (line.startsWith("[telegram]")
                  || line.startsWith("[fault]")
                  || line.contains(" ERROR ")) {
                System.out.println(line);
              }
            });
    scenarios = new Scenarios(system, Thresholds.FAST, System.out);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.homenvr.sandbox.scenario.Scenarios#NAMES")
  void scenario(String name) {
    ScenarioResult result = scenarios.run(name);

    System.out.println(result);
    assertThat(result.passed()).as(result.toString()).isTrue();
  }
}
