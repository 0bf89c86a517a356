package io.homenvr.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.homenvr.api.v1alpha1.status.CauseClass;
import io.homenvr.operator.escalation.testing.Monitors;
import io.homenvr.operator.escalation.testing.MutableClock;
import io.homenvr.operator.escalation.testing.Observations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pipeline's documented /status example reads, and means what it shows. */
class StatusContractTest {
  @Test
  void theDocumentedExampleIsOneCameraRefusingWhileTheOtherStreams() throws Exception {
    String json = Files.readString(Path.of("../docs/status-example.json"));
    PipelineHeartbeat heartbeat = new ObjectMapper().readValue(json, PipelineHeartbeat.class);
    Instant time = Instant.parse(heartbeat.time());
    Observation observation =
        new Observation(
            time,
            Observations.runningPod(Instant.parse(heartbeat.startedAt())),
            Observation.HeartbeatResult.of(heartbeat, json),
            null,
            null,
            Observation.VisionCheck.notChecked(),
            null,
            null);

    Assessment assessment =
        new HealthAssessor(new MutableClock(time))
            .assess(observation, Monitors.monitor("gate", "garden").getSpec());

    assertThat(assessment.problems()).extracting("kind").containsExactly("CameraDown");
    assertThat(assessment.problems().get(0).getCamera()).isEqualTo("garden");
    assertThat(assessment.problems().get(0).getCause()).isEqualTo(CauseClass.EXTERNAL);
    assertThat(assessment.cameras()).extracting("state").containsExactly("Streaming", "Down");
  }
}
