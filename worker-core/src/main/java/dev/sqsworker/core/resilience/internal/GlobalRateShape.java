package dev.sqsworker.core.resilience.internal;

import java.time.Duration;

/**
 * The token bucket behind a global limit of {@code permits} calls per {@code period}, shaped so
 * that no window of {@code period} ever sees more than {@code permits} calls, although each task
 * takes its permits in batches and holds them for a moment.
 *
 * <p>A bucket of capacity {@code B} refilled greedily at rate {@code R} lets at most {@code B +
 * R·L} permits be taken in any interval of length {@code L}. A task uses a permit at most {@code
 * hold} after taking it, so the calls in a window of {@code period} come from permits taken within
 * {@code period + hold}: at most {@code B + R·(period + hold)}. The downstream sees each call a
 * little after its permit was used (threads, network), and these delays differ from call to call;
 * {@code slack} allows for a difference of up to one more {@code hold}. With {@code R = (permits −
 * B) / (period + hold + slack)} the downstream's own record shows at most {@code permits} in every
 * window of {@code period}. The price is throughput: the steady rate is {@code R}, below {@code
 * permits / period} (73 % of it).
 *
 * @param capacity the bucket's capacity, {@code B}; also the batch a task takes at once
 * @param refillTokens tokens added per {@code refillPeriod}
 * @param refillPeriod the period of {@code refillTokens}: {@code period + hold + slack}
 * @param hold how long a task may keep permits it took before they are dropped
 */
record GlobalRateShape(int capacity, long refillTokens, Duration refillPeriod, Duration hold) {

  /** The largest batch a task takes in one statement. */
  static final int MAX_BATCH = 10;

  /** The shape for a limit; {@code permits} at least 2. */
  static GlobalRateShape of(int permits, Duration period) {
    if (permits < 2) {
      throw new IllegalArgumentException("a global rate limit needs at least 2 permits");
    }
    // A fifth of the limit per batch (at most 10): few statements, a small share per task.
    int batch = Math.max(1, Math.min(MAX_BATCH, permits / 5));
    Duration hold = period.dividedBy(20);
    Duration slack = hold;
    return new GlobalRateShape(batch, permits - batch, period.plus(hold).plus(slack), hold);
  }

  /** Permits per second in the steady state. */
  double steadyRatePerSecond() {
    return refillTokens * 1e9 / refillPeriod.toNanos();
  }
}
