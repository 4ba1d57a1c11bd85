package dev.sqsworker.core.resilience.internal;

/**
 * An adaptive concurrency limit, additive increase / multiplicative decrease (the AIMD limit of
 * Netflix's concurrency-limits): a call that failed, timed out or was slower than the latency
 * threshold shrinks the limit by 10 %; a fast call grows it by one while at least half of the limit
 * was in use, so an idle downstream does not earn an ever larger limit. Pure: the caller measures.
 * Thread-safe.
 */
final class AimdLimit {

  private static final double BACKOFF_RATIO = 0.9;

  private final int max;
  private final long latencyThresholdNanos;
  private int limit;

  /** Starts at {@code max}, the most the limit may grow to; it never goes below 1. */
  AimdLimit(int max, long latencyThresholdNanos) {
    this.max = max;
    this.latencyThresholdNanos = latencyThresholdNanos;
    this.limit = max;
  }

  /**
   * Takes one finished call into account.
   *
   * @param rttNanos how long the call took
   * @param inFlight calls in progress when it started, itself included
   * @param dropped whether it failed in a way that says the downstream is overloaded
   * @return the new limit
   */
  synchronized int onSample(long rttNanos, int inFlight, boolean dropped) {
    if (dropped || rttNanos > latencyThresholdNanos) {
      limit = Math.max(1, (int) (limit * BACKOFF_RATIO));
    } else if (inFlight * 2 >= limit) {
      limit = Math.min(max, limit + 1);
    }
    return limit;
  }

  /** The limit now. */
  synchronized int limit() {
    return limit;
  }
}
