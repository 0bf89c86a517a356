package io.homenvr.operator.secrets;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves the pipeline: evidence, prompts, reports. Known secret
 * values (read from the Secrets the CameraMonitor references) go first, then shapes of secrets.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s@]+@");
  private static final List<Pattern> SECRET_SHAPES =
      List.of(
          // Telegram bot token, alone or in a /bot<token>/ URL
          Pattern.compile("\\b\\d{6,}:[A-Za-z0-9_-]{30,}"),
          Pattern.compile("sk-ant-[A-Za-z0-9_-]{10,}"),
          Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
          Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}"),
          Pattern.compile(
              "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"));
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)\\b(password|passwd|pwd|token|api[_-]?key|secret|authorization)(\"?\\s*[=:]\\s*\"?)"
              + "(bearer\\s+|basic\\s+)?[^\\s\",;&]+");

  /**
   * A secret-like word after a key and a space ({@code apikey 5f3c…}, {@code token abc123…}): only
   * words of 8 or more characters with a digit in them, so that prose ("token expired") survives.
   */
  private static final Pattern KEY_SPACE_VALUE =
      Pattern.compile(
          "(?i)\\b(password|passwd|token|api[_-]?key|secret|bearer|basic)(\\s+)"
              + "([A-Za-z0-9._~+/=-]{8,})");

  private static final Redactor SHAPES = new Redactor(List.of());

  private final List<String> knownSecrets;

  public Redactor(Collection<String> knownSecrets) {
    this.knownSecrets =
        knownSecrets.stream()
            .filter(Objects::nonNull)
            .map(String::trim)
            .filter(s -> s.length() >= 4)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  public static Redactor shapesOnly() {
    return SHAPES;
  }

  /** Secret shapes out of free text from the pipeline (log lines, camera errors): see redact. */
  public static String redactShapes(String text) {
    return SHAPES.redact(text);
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : knownSecrets) {
      out = out.replace(secret, MASK);
    }
    out = redactUrls(out);
    for (Pattern shape : SECRET_SHAPES) {
      out = shape.matcher(out).replaceAll(MASK);
    }
    out =
        KEY_VALUE
            .matcher(out)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    return KEY_SPACE_VALUE
        .matcher(out)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(
                    m.group(3).chars().anyMatch(Character::isDigit)
                        ? m.group(1) + m.group(2) + MASK
                        : m.group()));
  }

  /** Only user:password@ in URLs: cheap enough for every camera error message. */
  public static String redactUrls(String text) {
    return text == null ? null : URL_CREDENTIALS.matcher(text).replaceAll("$1" + MASK + "@");
  }
}
