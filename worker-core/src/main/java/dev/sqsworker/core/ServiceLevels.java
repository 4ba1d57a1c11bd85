package dev.sqsworker.core;

import java.time.Duration;

/**
 * A worker's service level objectives, each measured over {@code window}: the share of messages
 * settled successfully (not dead-lettered; duplicates do not count) and the share of successful
 * ones settled within {@code latencyThreshold} of their receipt. The worker publishes their SLI
 * counters, error budget left and burn rates (see docs/operations.md).
 *
 * @param successObjective e.g. 0.999: at most 0.1 % of settled messages dead-lettered
 * @param latencyThreshold e.g. 2 s from receipt to settlement; best one of {@link
 *     WorkerConfig#latencyBuckets()}, so the Prometheus rules can compute the same SLI
 * @param latencyObjective e.g. 0.99: at least 99 % of successful messages within the threshold
 * @param window e.g. 30 days: the period an error budget is spent over
 */
public record ServiceLevels(
    double successObjective, Duration latencyThreshold, double latencyObjective, Duration window) {

  /** 99.9 % settled successfully, 99 % of them within 2 s, over 30 days. */
  public static final ServiceLevels DEFAULT =
      new ServiceLevels(0.999, Duration.ofSeconds(2), 0.99, Duration.ofDays(30));

  /** Checks the values. */
  public ServiceLevels {
    requireObjective("successObjective (SQSWORKER_SLO_SUCCESS)", successObjective);
    requireObjective("latencyObjective (SQSWORKER_SLO_LATENCY)", latencyObjective);
    if (latencyThreshold == null
        || latencyThreshold.compareTo(Duration.ofMillis(1)) < 0
        || latencyThreshold.compareTo(WorkerConfig.SQS_MAX_VISIBILITY) > 0) {
      throw new IllegalArgumentException(
          "latencyThreshold (SQSWORKER_SLO_LATENCY_THRESHOLD) must be between 1 ms and 12 h, was "
              + latencyThreshold);
    }
    if (window == null
        || window.compareTo(Duration.ofHours(1)) < 0
        || window.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException(
          "window (SQSWORKER_SLO_WINDOW) must be between 1 h and 366 d, was " + window);
    }
  }

  private static void requireObjective(String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(
          name + " must be a ratio between 0 and 1 exclusive (e.g. 0.999 or 99.9%), was " + value);
    }
  }

  /** A ratio as typed: {@code 0.999} or {@code 99.9%}. */
  static double parseRatio(String text) {
    String t = text.trim();
    try {
      return t.endsWith("%")
          ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
          : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a ratio (e.g. 0.999 or 99.9%)", e);
    }
  }
}
