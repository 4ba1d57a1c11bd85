package dev.sqsworker.core.internal.support;

import dev.sqsworker.core.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks that configuration builders apply to their options, with messages that name the option
 * and the value ({@code "concurrency must be between 1 and 10000, was 0"}).
 */
public final class OptionChecks {

  private OptionChecks() {}

  /** The value, if within {@code [min, max]}. */
  public static int requireRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** The duration, if within {@code [min, max]}. */
  public static Duration requireBetween(String option, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          option
              + " must be between "
              + Durations.format(min)
              + " and "
              + Durations.format(max)
              + ", was "
              + Durations.format(value));
    }
    return value;
  }

  /** Parses a whole number from an environment variable's text. */
  public static int parseInt(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number", e);
    }
  }
}
