package dev.sqsworker.dlq.internal;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/** Paces sends: {@link #acquire()} returns when the next message may go. */
@FunctionalInterface
public interface Throttle {

  /** How long one acquire may wait before the replay gives up (far above any sane rate). */
  Duration MAX_WAIT = Duration.ofMinutes(10);

  /**
   * Waits for permission to send one message.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  void acquire() throws InterruptedException;

  /** No pacing. */
  static Throttle none() {
    return () -> {};
  }

  /**
   * Resilience4j's rate limiter with one permit every {@code 1/rate} seconds, so messages go out
   * evenly rather than in bursts at the start of each second.
   */
  static Throttle perSecond(double rate) {
    if (rate <= 0) {
      return none();
    }
    RateLimiter limiter = RateLimiter.of("dlq-replay", config(rate));
    return () -> {
      if (!limiter.acquirePermission()) {
        if (Thread.interrupted()) { // cleared, as an InterruptedException promises
          throw new InterruptedException("Interrupted while waiting for the rate limiter");
        }
        throw new IllegalStateException("The rate limiter did not grant a permit in " + MAX_WAIT);
      }
    };
  }

  /** The limiter's configuration for a rate in messages per second. */
  static RateLimiterConfig config(double rate) {
    long periodNanos = Math.max(1, Math.round(1_000_000_000d / rate));
    return RateLimiterConfig.custom()
        .limitForPeriod(1)
        .limitRefreshPeriod(Duration.ofNanos(periodNanos))
        .timeoutDuration(MAX_WAIT)
        .build();
  }
}
