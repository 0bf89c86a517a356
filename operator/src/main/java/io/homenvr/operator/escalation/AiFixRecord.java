package io.homenvr.operator.escalation;

import com.fasterxml.jackson.databind.JsonNode;
import io.homenvr.api.v1alpha1.status.AiFixRun;
import io.homenvr.api.v1alpha1.status.Diagnosis;
import io.homenvr.api.v1alpha1.status.ProposalVerdict;
import io.homenvr.operator.aifix.AiFixResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What of an AI-fix Job's result goes into the incident's status: all of its account, bounded. */
final class AiFixRecord {
  /** Status is not a log: the agent's text is cut to this. */
  private static final int MAX_TEXT = 1000;

  private static final int MAX_EVIDENCE_LINES = 5;

  private AiFixRecord() {}

  /** The diagnosis, the diff summary and the agent's own stats, whatever the outcome. */
  static void agent(AiFixRun run, AiFixResult result) {
    AiFixResult.Diagnosis given = result.diagnosis();
    if (given != null || result.diagnosisNote() != null) {
      Diagnosis diagnosis = new Diagnosis();
      if (given != null) {
        diagnosis.setCause(clip(given.cause()));
        diagnosis.setConfidence(clip(given.confidence()));
        List<String> evidence = new ArrayList<>();
        if (given.evidence() != null) {
          given.evidence().stream()
              .filter(line -> line != null && !line.isBlank())
              .limit(MAX_EVIDENCE_LINES)
              .map(AiFixRecord::clip)
              .forEach(evidence::add);
        }
        diagnosis.setEvidence(evidence);
      }
      diagnosis.setNote(clip(result.diagnosisNote()));
      run.setDiagnosis(diagnosis);
    }
    run.setDiff(diff(result.diff()));
    AiFixResult.Agent agent = result.agent();
    if (agent != null) {
      run.setTurns(agent.turns());
      run.setCostUsd(agent.costUsd());
      if (Boolean.TRUE.equals(agent.isError()) || !"success".equals(agent.subtype())) {
        run.setAgentResult(clip(agent.subtype()));
      }
    }
  }

  /** e.g. "2 files, +14 -3: src/A.java, src/B.java"; null without a diff. */
  static String diff(AiFixResult.Diff diff) {
    if (diff == null || diff.files() == null) {
      return null;
    }
    String counts =
        String.format(
            Locale.ROOT,
            "%d file%s, +%d -%d",
            diff.files(),
            diff.files() == 1 ? "" : "s",
            diff.insertions() == null ? 0 : diff.insertions(),
            diff.deletions() == null ? 0 : diff.deletions());
    return diff.paths() == null || diff.paths().isEmpty()
        ? counts
        : clip(counts + ": " + String.join(", ", diff.paths()));
  }

  static ProposalVerdict verdict(String verdict, String field, String reason) {
    ProposalVerdict proposal = new ProposalVerdict();
    proposal.setVerdict(verdict);
    proposal.setField(clip(field));
    proposal.setReason(clip(reason));
    return proposal;
  }

  /** The proposal's type as the agent wrote it, when it is one of the three. */
  static String proposalType(JsonNode proposal) {
    JsonNode type = proposal == null ? null : proposal.get("type");
    String text = type == null || !type.isTextual() ? null : type.asText();
    return text != null && List.of("none", "code", "config").contains(text) ? text : "malformed";
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
