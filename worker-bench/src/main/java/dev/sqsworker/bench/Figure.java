package dev.sqsworker.bench;

/**
 * One reported figure.
 *
 * @param name a stable dotted name, e.g. {@code worker.noop.ratio}
 * @param description what it measures, for the table
 * @param unit its unit
 * @param stats its median, min and max over the rounds
 * @param target the target as text ({@code ">= 0.90"}), or null
 * @param met whether the median meets the target, or null without one
 */
public record Figure(
    String name, String description, String unit, Stats stats, String target, Boolean met) {

  /** A figure without a target. */
  public static Figure of(String name, String description, String unit, Stats stats) {
    return new Figure(name, description, unit, stats, null, null);
  }

  /** A figure whose median must be at least {@code min}. */
  public static Figure atLeast(
      String name, String description, String unit, Stats stats, double min) {
    return new Figure(name, description, unit, stats, ">= " + min, stats.median() >= min);
  }

  /** A figure whose median must be at most {@code max}. */
  public static Figure atMost(
      String name, String description, String unit, Stats stats, double max) {
    return new Figure(name, description, unit, stats, "<= " + max, stats.median() <= max);
  }
}
