package io.homenvr.operator.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvidenceStoreTest {
  @Test
  void evidenceKeepsTheFiveNewestIncidents() {
    Map<String, String> data = new HashMap<>();
    for (int i = 1; i <= 7; i++) {
      String id = "2026030%d-120000-g1".formatted(i);
      data.put(EvidenceStore.logsKey(id), "l");
      data.put(EvidenceStore.statusKey(id), "s");
      data.put(EvidenceStore.threadsKey(id), "t");
    }
    EvidenceStore.keepNewest(data);

    assertThat(data)
        .hasSize(15)
        .doesNotContainKeys("20260301-120000-g1-logs.txt", "20260302-120000-g1-threads.txt")
        .containsKey("20260307-120000-g1-status.json");
    assertThat(EvidenceStore.tail("x".repeat(100) + "END", 10))
        .endsWith("END")
        .startsWith("[… truncated");
  }
}
