package dev.sqsworker.core;

import dev.sqsworker.core.internal.settle.ExponentialBackoff;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long a failed message stays invisible before its next attempt. The worker sets the message's
 * visibility to this delay instead of re-sending it, so a retry costs one API call.
 */
@FunctionalInterface
public interface BackoffPolicy {

  /**
   * The delay before the attempt after {@code failedAttempt}.
   *
   * @param failedAttempt the attempt that just failed, from 1
   * @return a delay of zero or more; the worker caps it at SQS's 12-hour maximum
   */
  Duration delay(int failedAttempt);

  /**
   * Exponential backoff with full jitter: a random delay between zero and {@code min(cap, base ×
   * 2^(attempt-1))}, so retries of many messages spread out instead of arriving together.
   */
  static BackoffPolicy exponential(Duration base, Duration cap) {
    return new ExponentialBackoff(base, cap, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Like {@link #exponential(Duration, Duration)} with the random source given, for tests: {@code
   * random} returns values in {@code [0, 1)}.
   */
  static BackoffPolicy exponential(Duration base, Duration cap, DoubleSupplier random) {
    return new ExponentialBackoff(base, cap, random);
  }

  /** The same delay after every failure. */
  static BackoffPolicy fixed(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("backoff delay must not be negative, was " + delay);
    }
    return attempt -> delay;
  }
}
