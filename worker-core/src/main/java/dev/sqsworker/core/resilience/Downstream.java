package dev.sqsworker.core.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Calls to one named downstream service, protected by resilience4j. Each call passes, from the
 * outside in:
 *
 * <ol>
 *   <li><b>retry</b> — retryable failures are tried again ({@link DownstreamConfig#retryAttempts()}
 *       in all) after an exponential backoff with full jitter, or after the server's short {@code
 *       Retry-After}; every attempt goes through the layers below;
 *   <li><b>circuit breaker</b> — refuses calls at once while the downstream is known to be down;
 *   <li><b>rate limiter</b> — waits for a permit, so the downstream sees at most its configured
 *       rate;
 *   <li><b>bulkhead</b> — waits for one of {@link DownstreamConfig#maxConcurrent()} slots;
 *   <li><b>global rate limit</b> — when configured, waits for a permit of the limit shared by every
 *       task ({@link DownstreamConfig#globalRateLimit()}); none in time: {@link
 *       DownstreamRateLimitedException}, and the message is parked like for an open breaker;
 *   <li><b>time limiter</b> — bounds the call itself (not the waits above) to {@link
 *       DownstreamConfig#timeout()}, interrupting it when it runs over.
 * </ol>
 *
 * <p>What the caller sees: the call's result; {@link DownstreamUnavailableException} when the
 * breaker refused it (the worker parks the message without counting an attempt); {@link
 * DownstreamRejectedException} (non-retryable: dead-lettered) when the {@link ErrorClassifier}
 * judged the failure non-retryable; otherwise the last attempt's own failure (the message is
 * retried later by visibility). Thread-safe.
 */
public interface Downstream {

  /** A call without a result. */
  @FunctionalInterface
  interface Action {
    /** Runs the call. */
    void run() throws Exception;
  }

  /** The downstream's name, as given to {@link Downstreams#get(String)}. */
  String name();

  /** The configuration this downstream runs with. */
  DownstreamConfig config();

  /**
   * Calls the downstream through every layer.
   *
   * @param call the call, run on a thread of the downstream's own pool so its time can be limited
   * @return what the call returned
   * @throws DownstreamUnavailableException if the circuit breaker refused the call
   * @throws DownstreamRejectedException if the failure was classified non-retryable
   * @throws Exception the last attempt's failure otherwise (a {@link
   *     java.util.concurrent.TimeoutException} if it ran over its time limit)
   */
  <T> T call(Callable<T> call) throws Exception;

  /** Like {@link #call(Callable)} for a call without a result. */
  default void run(Action action) throws Exception {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Why this downstream's {@link DownstreamConfig#globalRateLimit() global rate limit} runs on this
   * task's {@link DownstreamConfig#globalRateFallback() share} alone (its database is unreachable),
   * or empty while the shared limit is in force or there is none. For health reports.
   */
  default java.util.Optional<String> globalRateLimitFallback() {
    return java.util.Optional.empty();
  }

  /** The circuit breaker's state now. */
  CircuitBreaker.State breakerState();

  /** How long the breaker stays open from now; zero unless it is open. */
  Duration remainingOpenTime();

  /**
   * How many calls may run at once now: {@link DownstreamConfig#maxConcurrent()}, or less while an
   * adaptive limit has shrunk; 0 when there is no limit.
   */
  int concurrencyLimit();
}
