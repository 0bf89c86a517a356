package io.homenvr.operator.escalation;

import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.operator.health.Assessment;
import io.homenvr.operator.names.CameraMonitorResources;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The words for the ladder's {@link Notice}s: Kubernetes Events, and why a human is needed. */
public final class NoticeWording {
  private NoticeWording() {}

  /** A Kubernetes Event: Warning or Normal, a CamelCase reason, a sentence. */
  public record Event(boolean warning, String reason, String message) {}

  /** The Event a notice makes; reports and the digest go to the outbox instead. */
  public static Optional<Event> event(Notice notice, CameraMonitor monitor) {
    if (notice instanceof Notice.ProblemFound n) {
      return warning(
          n.problem().getKind(),
          "incident %s: %s (%s)"
              .formatted(n.incident(), n.problem().getMessage(), n.problem().getCause()));
    } else if (notice instanceof Notice.Acknowledged n) {
      return normal(
          "Acknowledged",
          "incident %s acknowledged; the ladder starts over".formatted(n.incident()));
    } else if (notice instanceof Notice.RestartRequested) {
      return normal(
          "RestartRequested",
          "restarting the pipeline as requested by " + CameraMonitorResources.RESTART_ANNOTATION);
    } else if (notice instanceof Notice.Restarting n) {
      return warning(
          "RestartingPipeline",
          "incident %s: restart %d of %d (%s)"
              .formatted(n.incident(), n.attempt(), n.max(), String.join(", ", n.kinds())));
    } else if (notice instanceof Notice.FixedByRestart n) {
      return normal(
          "FixedByRestart",
          "incident %s fixed by %d restart(s)".formatted(n.incident(), n.restarts()));
    } else if (notice instanceof Notice.DependencyBack n) {
      return normal("DependencyBack", "incident %s: dependencies are back".formatted(n.incident()));
    } else if (notice instanceof Notice.AiFixStarted n) {
      return warning(
          "AiFixStarted",
          "incident %s: %d restart(s) did not help; AI fix Job %s started"
              .formatted(n.incident(), n.restarts(), n.job()));
    } else if (notice instanceof Notice.AiFixApplied n) {
      return normal(
          "AiFixApplied",
          "incident %s: AI fix %s rolled out; verifying for %d s"
              .formatted(
                  n.incident(), Objects.requireNonNullElse(n.commit(), ""), n.verifySeconds()));
    } else if (notice instanceof Notice.AiFixHeld n) {
      return normal(
          "AiFixHeld",
          "incident %s: the AI fix held for %d s%s"
              .formatted(
                  n.incident(),
                  n.verifySeconds(),
                  n.permanentChange() == null
                      ? ""
                      : "; it runs as an override: to keep it in your spec, "
                          + n.permanentChange()));
    } else if (notice instanceof Notice.Diagnosed n) {
      return normal(
          "AiFixDiagnosis",
          "incident %s: job %s diagnosed (confidence %s): %s"
              .formatted(
                  n.incident(),
                  n.job(),
                  Objects.requireNonNullElse(n.confidence(), "not given"),
                  n.cause()));
    } else if (notice instanceof Notice.ConfigFixApplied n) {
      return normal(
          "ConfigFixApplied",
          "incident %s: the AI fix's configuration change runs as an override (the spec is unchanged): %s; verifying for %d s; revert with %s"
              .formatted(n.incident(), n.change(), n.verifySeconds(), revertCommand(monitor)));
    } else if (notice instanceof Notice.ProposalRefused n) {
      return warning(
          "ConfigFixRefused",
          "incident %s: the AI fix's proposal was not applied: %s %s"
              .formatted(n.incident(), n.field(), n.reason()));
    } else if (notice instanceof Notice.ConfigOverrideReverted n) {
      return n.why() == Notice.Revert.DID_NOT_HOLD
          ? warning("ConfigFixReverted", configReverted(n))
          : normal("OverrideReverted", configReverted(n));
    } else if (notice instanceof Notice.OverrideApplied n) {
      return normal(
          "OverrideApplied",
          "pipeline image overridden by the AI fix of incident %s: %s; revert with %s"
              .formatted(n.incident(), n.image(), revertCommand(monitor)));
    } else if (notice instanceof Notice.OverrideReverted n) {
      return n.why() == Notice.Revert.DID_NOT_HOLD
          ? warning("OverrideReverted", overrideReverted(n))
          : normal("OverrideReverted", overrideReverted(n));
    } else if (notice instanceof Notice.NeedsHuman n) {
      return warning("NeedsHuman", "incident %s: %s".formatted(n.incident(), why(n.why())));
    } else if (notice instanceof Notice.Recovered n) {
      return normal("Recovered", "incident %s: healthy again".formatted(n.incident()));
    } else if (notice instanceof Notice.RecordingGap n) {
      Assessment.RecordingGap gap = n.gap();
      return warning(
          "RecordingGap",
          "camera %s: no recording from %s to %s (%s s): %s"
              .formatted(
                  gap.camera(),
                  gap.start(),
                  gap.end(),
                  seconds(Duration.between(gap.start(), gap.end())),
                  Objects.requireNonNullElse(gap.cause(), "cause not reported")));
    }
    return Optional.empty(); // Report, Digest
  }

  /** Why the ladder asked a human, in one clause. */
  public static String why(Notice.HumanNeeded why) {
    if (why instanceof Notice.HumanNeeded.AiFixOff w) {
      return "%d restart(s) did not help and the AI fix tier is off".formatted(w.restarts());
    } else if (why instanceof Notice.HumanNeeded.FixedOnceBefore w) {
      return "an AI fix already claimed to fix this problem (%s) once; it is back"
          .formatted(w.fingerprint());
    } else if (why instanceof Notice.HumanNeeded.AiFixCoolingDown w) {
      return "%d restart(s) did not help and the AI fix is cooling down (one per %d h)"
          .formatted(w.restarts(), w.cooldownHours());
    } else if (why instanceof Notice.HumanNeeded.AiFixEnded w) {
      return "the AI fix ended with %s".formatted(w.outcome());
    } else if (why instanceof Notice.HumanNeeded.FixDidNotHold w) {
      return "the AI fix did not hold: "
          + String.join(", ", w.kinds())
          + (w.reverted() == null ? "" : "; reverted " + w.reverted());
    } else if (why instanceof Notice.HumanNeeded.ProposalRefused w) {
      return "the AI fix ended with %s and its proposal was refused (%s %s); nothing was applied"
          .formatted(w.outcome(), w.field(), w.reason());
    } else if (why instanceof Notice.HumanNeeded.CodeFixWaiting w) {
      return ("the AI fix pushed commit %s to branch %s%s; with no"
              + " spec.escalation.aiFix.imageTemplate nothing says which image has it, so it waits"
              + " for you to review, build and roll it out")
          .formatted(
              Objects.requireNonNullElse(w.commit(), "(unknown)"),
              Objects.requireNonNullElse(w.branch(), "(unknown)"),
              w.diff() == null ? "" : " (" + w.diff() + ")");
    }
    throw new IllegalArgumentException(String.valueOf(why));
  }

  private static String revertCommand(CameraMonitor monitor) {
    return "kubectl -n %s annotate cammon %s %s=true"
        .formatted(
            monitor.getMetadata().getNamespace(),
            monitor.getMetadata().getName(),
            CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION);
  }

  private static String configReverted(Notice.ConfigOverrideReverted n) {
    String what =
        "configuration override of incident %s (%s)"
            .formatted(n.override().getIncident(), n.override().getChange());
    return switch (n.why()) {
      case REQUESTED ->
          "%s reverted as requested by %s; the pipeline runs %s = %s from the spec again"
              .formatted(
                  what,
                  CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION,
                  n.override().getSpecPath(),
                  n.override().getFrom());
      case SPEC_CHANGED ->
          "%s dropped: the spec changed since (%s); the spec wins".formatted(what, n.detail());
      case DID_NOT_HOLD ->
          "%s reverted: the pipeline was not healthy with it; %s = %s from the spec again"
              .formatted(what, n.override().getSpecPath(), n.override().getFrom());
    };
  }

  private static String overrideReverted(Notice.OverrideReverted n) {
    if (n.why() == Notice.Revert.DID_NOT_HOLD) {
      return "pipeline image override %s (%s) reverted: the pipeline was not healthy with it; it runs %s again"
          .formatted(
              n.override().getPipelineImage(),
              n.override().getReason(),
              Objects.requireNonNullElse(n.specImage(), "the operator's default image"));
    }
    if (n.why() == Notice.Revert.REQUESTED) {
      return "pipeline image override %s (%s) reverted as requested by %s; the pipeline runs %s again"
          .formatted(
              n.override().getPipelineImage(),
              n.override().getReason(),
              CameraMonitorResources.REVERT_OVERRIDE_ANNOTATION,
              Objects.requireNonNullElse(n.specImage(), "the operator's default image"));
    }
    return "spec.pipeline.image changed to %s since the override (%s, %s) was applied: the spec's image wins"
        .formatted(
            Objects.requireNonNullElse(n.specImage(), "the operator's default"),
            n.override().getPipelineImage(),
            n.override().getReason());
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }

  private static Optional<Event> warning(String reason, String message) {
    return Optional.of(new Event(true, reason, message));
  }

  private static Optional<Event> normal(String reason, String message) {
    return Optional.of(new Event(false, reason, message));
  }
}
