package dev.sqsworker.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them, the one parser of every option, variable and command line of
 * sqs-worker: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, compounds such as
 * {@code 1h30m}, or ISO-8601 such as {@code PT30S}.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+\\s*(?:ms|s|m|h|d)\\s*)+");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms, if it is none
   */
  public static Duration parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + text + "' is not a duration (use e.g. 30s, 500ms, 5m, 1h or PT30S)"));
  }

  /** The duration, or empty if the text is not one. */
  public static Optional<Duration> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Optional.of(Duration.parse(trimmed.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (!WHOLE.matcher(lower).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(lower);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
              });
    }
    return Optional.of(total);
  }

  /** Formats a duration the way {@link #parse} reads it, in its largest whole unit. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
