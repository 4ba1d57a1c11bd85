package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.BackoffPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/** Exponential backoff with full jitter, capped. */
public final class ExponentialBackoff implements BackoffPolicy {

  private final long baseMillis;
  private final long capMillis;
  private final DoubleSupplier random;

  /** Creates the policy; {@code random} returns values in {@code [0, 1)}. */
  public ExponentialBackoff(Duration base, Duration cap, DoubleSupplier random) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive, was " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff cap must be at least the base " + base + ", was " + cap);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public Duration delay(int failedAttempt) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, was " + failedAttempt);
    }
    // Shift with a bound so large attempt numbers cannot overflow.
    int shift = Math.min(failedAttempt - 1, 40);
    long ceiling =
        baseMillis > (capMillis >> shift) ? capMillis : Math.min(capMillis, baseMillis << shift);
    return Duration.ofMillis((long) Math.floor(random.getAsDouble() * (ceiling + 1)));
  }

  /** The upper bound of the delay after this attempt (the jitter picks at most this). */
  public Duration ceiling(int failedAttempt) {
    int shift = Math.min(failedAttempt - 1, 40);
    return Duration.ofMillis(
        baseMillis > (capMillis >> shift) ? capMillis : Math.min(capMillis, baseMillis << shift));
  }
}
