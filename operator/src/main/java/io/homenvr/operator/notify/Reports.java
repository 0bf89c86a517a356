package io.homenvr.operator.notify;

import io.homenvr.api.v1alpha1.status.AiFixRun;
import io.homenvr.api.v1alpha1.status.CameraStatus;
import io.homenvr.api.v1alpha1.status.Diagnosis;
import io.homenvr.api.v1alpha1.status.Incident;
import io.homenvr.api.v1alpha1.status.Problem;
import io.homenvr.api.v1alpha1.status.ProposalVerdict;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.names.CameraMonitorResources;
import io.homenvr.operator.secrets.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The texts a human reads in Telegram: plain text, one per transition, secrets redacted. */
public final class Reports {
  public static final String FIXED_BY_RESTART = "FixedByRestart";
  public static final String AI_FIX_APPLIED = "AiFixApplied";
  public static final String AI_FIX_HELD = "AiFixHeld";
  public static final String NEEDS_HUMAN = "NeedsHuman";
  public static final String RECOVERED = "Recovered";
  public static final String DEPENDENCY_DOWN = "DependencyDown";
  public static final String DEPENDENCY_BACK = "DependencyBack";
  public static final String DIGEST = "Digest";

  private static final Redactor REDACTOR = Redactor.shapesOnly();

  private final String namespace;
  private final String name;
  private final String pipelineDeployment;
  private final String evidenceConfigMap;

  public Reports(
      String namespace, String name, String pipelineDeployment, String evidenceConfigMap) {
    this.namespace = namespace;
    this.name = name;
    this.pipelineDeployment = pipelineDeployment;
    this.evidenceConfigMap = evidenceConfigMap;
  }

  public String fixedByRestart(Incident incident, Instant now) {
    return header("✅", "fixed by restart")
        + "Restarts: %d, healthy again after %s.\n"
            .formatted(incident.getRestarts(), since(incident, now))
        + problems(incident.getProblems())
        + footer(incident);
  }

  public String aiFixApplied(Incident incident, int verifySeconds) {
    AiFixRun fix = incident.getAiFix();
    ProposalVerdict proposal = fix.getProposal();
    boolean config = proposal != null && "config".equals(proposal.getType());
    StringBuilder text =
        new StringBuilder(
            header(
                "🤖",
                (config ? "AI configuration fix applied" : "AI fix applied")
                    + ", verifying for "
                    + verifySeconds
                    + " s"));
    text.append("Agent: ").append(redact(fix.getSummary())).append('\n');
    text.append(diagnosis(fix));
    if (config) {
      text.append("Change: ")
          .append(redact(proposal.getChange()))
          .append(", as an override in status.overrides.config (your spec is unchanged)\n")
          .append(line("Agent's reason", proposal.getReason()));
    } else {
      text.append(line("Commit", fix.getCommit()))
          .append(line("Branch", fix.getBranch()))
          .append(line("Diff", fix.getDiff()))
          .append(line("Image", fix.getImage()));
    }
    text.append("It is reverted if the pipeline is not healthy with it. To revert it now: ")
        .append(revertCommand())
        .append('\n');
    return text + problems(incident.getProblems()) + footer(incident);
  }

  /**
   * The fix held: what runs overridden, and the exact spec change that makes it permanent (the
   * override then drops by itself).
   */
  public String aiFixHeld(Incident incident, int verifySeconds) {
    AiFixRun fix = incident.getAiFix();
    ProposalVerdict proposal = fix.getProposal();
    String permanent =
        proposal != null && "Kept".equals(proposal.getVerdict())
            ? proposal.getChange()
            : fix.getImage() == null ? null : "set spec.pipeline.image to " + fix.getImage();
    StringBuilder text = new StringBuilder(header("✅", "AI fix held for " + verifySeconds + " s"));
    text.append("Agent: ").append(redact(fix.getSummary())).append('\n');
    if (permanent != null) {
      text.append("It runs as an override (status.overrides); your spec is unchanged.\n")
          .append("To make it permanent, in your CameraMonitor spec: ")
          .append(redact(permanent))
          .append(" (the override then drops by itself).\n")
          .append("To undo it: ")
          .append(revertCommand())
          .append('\n');
    }
    text.append(line("Branch", fix.getBranch()));
    return text + problems(incident.getProblems()) + footer(incident);
  }

  public String needsHuman(Incident incident, String reason, Instant lastRestart) {
    StringBuilder text = new StringBuilder(header("🆘", "needs a human"));
    text.append("Why: ").append(redact(reason)).append('\n');
    text.append(problems(incident.getProblems()));
    text.append(
        "Restarts tried: %d%s.\n"
            .formatted(
                incident.getRestarts(),
                lastRestart == null ? "" : " (last at " + lastRestart + ")"));
    AiFixRun fix = incident.getAiFix();
    if (fix != null) {
      text.append("AI fix (Job ").append(fix.getJob()).append("): ").append(fix.getOutcome());
      if (fix.getSummary() != null) {
        text.append(" — ").append(redact(fix.getSummary()));
      }
      text.append('\n')
          .append(diagnosis(fix))
          .append(proposal(fix.getProposal()))
          .append(line("Branch", fix.getBranch()))
          .append(line("Commit", fix.getCommit()))
          .append(line("Diff", fix.getDiff()))
          .append(agent(fix));
    }
    text.append("Look closer:\n")
        .append("kubectl -n %s describe cammon %s\n".formatted(namespace, name))
        .append("kubectl -n %s logs deploy/%s\n".formatted(namespace, pipelineDeployment))
        .append("kubectl -n %s get cm %s -o yaml\n".formatted(namespace, evidenceConfigMap));
    if (fix != null && fix.getJob() != null) {
      text.append("kubectl -n %s logs job/%s\n".formatted(namespace, fix.getJob()));
    }
    text.append(
        "When handled: kubectl -n %s annotate cammon %s %s=\"$(date +%%s)\" --overwrite\n"
            .formatted(namespace, name, CameraMonitorResources.ACK_ANNOTATION));
    return text + footer(incident);
  }

  private static String diagnosis(AiFixRun fix) {
    Diagnosis diagnosis = fix.getDiagnosis();
    if (diagnosis == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    if (diagnosis.getCause() != null) {
      text.append("Diagnosis (confidence ")
          .append(redact(Objects.requireNonNullElse(diagnosis.getConfidence(), "not given")))
          .append("): ")
          .append(redact(diagnosis.getCause()))
          .append('\n');
      for (String evidence : diagnosis.getEvidence()) {
        text.append("  > ").append(redact(evidence)).append('\n');
      }
    }
    return text + line("Diagnosis note", diagnosis.getNote());
  }

  private static String proposal(ProposalVerdict proposal) {
    if (proposal == null || proposal.getVerdict() == null) {
      return "";
    }
    return switch (proposal.getVerdict()) {
      case "Refused", "NotApplied" ->
          "Proposed change not applied: %s%s\n"
              .formatted(
                  proposal.getField() == null ? "" : redact(proposal.getField()) + " ",
                  redact(proposal.getReason()));
      case "WaitingForHuman" -> "";
      default ->
          "Proposed change %s: %s\n"
              .formatted(
                  proposal.getVerdict().toLowerCase(Locale.ROOT), redact(proposal.getChange()));
    };
  }

  private static String agent(AiFixRun fix) {
    List<String> parts = new ArrayList<>();
    if (fix.getTurns() != null) {
      parts.add(fix.getTurns() + " turns");
    }
    if (fix.getCostUsd() != null) {
      parts.add(String.format(Locale.ROOT, "$%.2f", fix.getCostUsd()));
    }
    if (fix.getAgentResult() != null) {
      parts.add(redact(fix.getAgentResult()));
    }
    return parts.isEmpty() ? "" : "Agent run: " + String.join(", ", parts) + "\n";
  }

  private String revertCommand() {
    return "kubectl -n %s annotate cammon %s %s=true"
        .formatted(namespace, name, CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION);
  }

  public String recovered(Incident incident, Instant now) {
    return header("✅", "healthy again")
        + "It needed attention for %s.\n".formatted(since(incident, now))
        + footer(incident);
  }

  public String dependencyDown(Incident incident) {
    return header("⚠️", "a dependency is down")
        + problems(incident.getProblems())
        + "A restart will not help, so homenvr does not restart; it tells you when it is back.\n"
        + footer(incident);
  }

  public String dependencyBack(Incident incident, Instant now) {
    return header("✅", "dependency back")
        + "It was down for %s.\n".formatted(since(incident, now))
        + footer(incident);
  }

  /**
   * The daily "all nominal" digest: one screen with every camera's state and fps, and what happened
   * in the last day.
   *
   * @param cameras the cameras as the last check saw them
   * @param lastDay incidents opened or closed in the last 24 h
   */
  public String digest(List<CameraStatus> cameras, List<Incident> lastDay) {
    return digest(cameras, lastDay, List.of());
  }

  /**
   * The digest with the gaps in recording of the last day, as far as the running pipeline still
   * lists them (its last 20 per camera).
   */
  public String digest(
      List<CameraStatus> cameras, List<Incident> lastDay, List<Assessment.RecordingGap> gaps) {
    long streaming = cameras.stream().filter(c -> "Streaming".equals(c.getState())).count();
    StringBuilder text = new StringBuilder(header("🟢", "all nominal"));
    text.append("Cameras: %d of %d streaming\n".formatted(streaming, cameras.size()));
    for (CameraStatus camera : cameras) {
      text.append(
          "• %s: %s%s\n"
              .formatted(
                  camera.getName(),
                  camera.getState(),
                  camera.getFps() == null
                      ? ""
                      : String.format(Locale.ROOT, ", %.1f fps", camera.getFps())));
    }
    int restarts =
        lastDay.stream().mapToInt(i -> Objects.requireNonNullElse(i.getRestarts(), 0)).sum();
    text.append("Last 24 h: %d incident(s), %d restart(s)\n".formatted(lastDay.size(), restarts));
    for (Incident incident : lastDay) {
      text.append(
          "• %s: %s → %s\n"
              .formatted(
                  incident.getId(),
                  incident.getProblems().stream()
                      .map(Problem::getKind)
                      .distinct()
                      .collect(Collectors.joining(", ")),
                  incident.getOutcome()));
    }
    Map<String, List<Assessment.RecordingGap>> byCamera =
        gaps.stream()
            .collect(
                Collectors.groupingBy(
                    Assessment.RecordingGap::camera, LinkedHashMap::new, Collectors.toList()));
    if (!byCamera.isEmpty()) {
      text.append("Gaps in recording, last 24 h:\n");
    }
    byCamera.forEach(
        (camera, ofCamera) -> {
          Assessment.RecordingGap longest =
              ofCamera.stream().max(Comparator.comparing(Reports::length)).orElseThrow();
          long total = ofCamera.stream().mapToLong(g -> length(g).toSeconds()).sum();
          text.append(
              "• %s: %d gap(s), %d s in all, longest %d s (%s)\n"
                  .formatted(
                      camera,
                      ofCamera.size(),
                      total,
                      length(longest).toSeconds(),
                      REDACTOR.redact(Objects.requireNonNullElse(longest.cause(), "no cause"))));
        });
    return text.toString();
  }

  private static Duration length(Assessment.RecordingGap gap) {
    return Duration.between(gap.start(), gap.end());
  }

  private String header(String icon, String what) {
    return "%s homenvr %s/%s: %s\n".formatted(icon, namespace, name, what);
  }

  private static String problems(List<Problem> problems) {
    if (problems.isEmpty()) {
      return "";
    }
    return "Problems:\n"
        + problems.stream()
            .map(p -> "• %s (%s): %s".formatted(p.getKind(), p.getCause(), redact(p.getMessage())))
            .collect(Collectors.joining("\n"))
        + "\n";
  }

  private static String footer(Incident incident) {
    return "Incident " + incident.getId();
  }

  private static String line(String label, String value) {
    return value == null || value.isBlank() ? "" : label + ": " + redact(value) + "\n";
  }

  /** From the fault (last good frame or check) when known, else from the incident's opening. */
  private static String since(Incident incident, Instant now) {
    Instant opened =
        io.homenvr.operator.health.Times.parse(
            incident.getFaultAt() != null ? incident.getFaultAt() : incident.getOpenedAt());
    if (opened == null) {
      return "an unknown time";
    }
    Duration d = Duration.between(opened, now);
    return d.toMinutes() >= 1
        ? "%dm %ds".formatted(d.toMinutes(), d.toSecondsPart())
        : d.toSeconds() + " s";
  }

  private static String redact(String text) {
    return text == null ? "" : REDACTOR.redact(text);
  }
}
