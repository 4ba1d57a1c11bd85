package dev.sqsworker.core.internal;

import java.time.Duration;

/**
 * The old home of the duration parser, kept so that the configuration code that still imports it
 * compiles; it delegates to {@link dev.sqsworker.core.internal.support.Durations}. New code uses
 * that class. Remove this once the application module no longer imports it.
 */
public final class Durations {

  private Durations() {}

  /**
   * Parses a duration ({@code PT30S}, {@code 30s}, {@code 500ms}).
   *
   * @throws IllegalArgumentException if the text is neither form
   */
  public static Duration parse(String text) {
    return dev.sqsworker.core.internal.support.Durations.parse(text);
  }

  /** Formats a duration the way {@link #parse} reads it, shortest form first. */
  public static String format(Duration d) {
    return dev.sqsworker.core.internal.support.Durations.format(d);
  }
}
