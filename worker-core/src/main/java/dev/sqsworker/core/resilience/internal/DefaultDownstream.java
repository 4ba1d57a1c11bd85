package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.internal.support.Causes;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.DownstreamRateLimitedException;
import dev.sqsworker.core.resilience.DownstreamRejectedException;
import dev.sqsworker.core.resilience.DownstreamUnavailableException;
import dev.sqsworker.core.resilience.ErrorClassifier;
import dev.sqsworker.core.resilience.HttpStatusException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One downstream: resilience4j's retry, circuit breaker, rate limiter, bulkhead and time limiter,
 * composed from the outside in in that order (see {@link Downstream} for why).
 */
final class DefaultDownstream implements Downstream {

  private final String name;
  private final DownstreamConfig config;
  private final ErrorClassifier classifier;
  private final Clock clock;
  private final Retry retry;
  private final CircuitBreaker breaker;
  private final RateLimiter rateLimiter;
  private final Bulkhead bulkhead;
  private final TimeLimiter timeLimiter;
  private final GlobalRateLimit globalRate;
  private final ExecutorService calls;
  private final AtomicReference<Instant> openUntil = new AtomicReference<>();
  private final AimdLimit adaptiveLimit;
  private final Executor limitAdjuster;
  private final LongSupplier nanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean adjustmentPending = new AtomicBoolean();

  /**
   * The parts of one downstream; {@code rateLimiter}, {@code bulkhead}, {@code adaptiveLimit} and
   * {@code globalRate} may be null.
   */
  record Layers(
      Retry retry,
      CircuitBreaker breaker,
      RateLimiter rateLimiter,
      Bulkhead bulkhead,
      TimeLimiter timeLimiter,
      AimdLimit adaptiveLimit,
      GlobalRateLimit globalRate) {}

  /**
   * Creates the downstream.
   *
   * @param calls runs the calls, so that they can be timed out
   * @param limitAdjuster applies an adaptive limit's changes to the bulkhead, off the call threads
   *     (shrinking a bulkhead waits for calls to give their slots back); null when not adaptive
   * @param nanos monotonic time, to measure calls for the adaptive limit
   */
  DefaultDownstream(
      String name,
      DownstreamConfig config,
      ErrorClassifier classifier,
      Clock clock,
      Layers layers,
      ExecutorService calls,
      Executor limitAdjuster,
      LongSupplier nanos) {
    this.name = name;
    this.config = config;
    this.classifier = classifier;
    this.clock = clock;
    this.retry = layers.retry();
    this.breaker = layers.breaker();
    this.rateLimiter = layers.rateLimiter();
    this.bulkhead = layers.bulkhead();
    this.timeLimiter = layers.timeLimiter();
    this.globalRate = layers.globalRate();
    this.calls = calls;
    this.adaptiveLimit = layers.adaptiveLimit();
    this.limitAdjuster = limitAdjuster;
    this.nanos = nanos;
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                openUntil.set(clock.instant().plus(config.breakerOpenFor()));
              }
            });
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DownstreamConfig config() {
    return config;
  }

  @Override
  public <T> T call(Callable<T> call) throws Exception {
    Callable<T> decorated = () -> timeLimited(call);
    if (globalRate != null) {
      // Innermost: a permit taken is used at once, not after a wait for a bulkhead slot, so the
      // bound on every window holds (see GlobalRateShape).
      Callable<T> limited = decorated;
      decorated =
          () -> {
            globalRate.acquire();
            return limited.call();
          };
    }
    if (bulkhead != null) {
      decorated = Bulkhead.decorateCallable(bulkhead, decorated);
    }
    if (rateLimiter != null) {
      decorated = RateLimiter.decorateCallable(rateLimiter, decorated);
    }
    decorated = CircuitBreaker.decorateCallable(breaker, decorated);
    decorated = Retry.decorateCallable(retry, decorated);
    try {
      return decorated.call();
    } catch (CallNotPermittedException e) {
      throw new DownstreamUnavailableException(name, remainingOpenTime(), e);
    } catch (InterruptedException e) {
      // The handler was cancelled; that says nothing about the message or the downstream.
      Thread.currentThread().interrupt();
      throw e;
    } catch (Exception e) {
      if (!(e instanceof NonRetryableException)
          && !isLocalRejection(e)
          && classifier.classify(e) == ErrorClassifier.Verdict.NON_RETRYABLE) {
        throw new DownstreamRejectedException(name, e);
      }
      throw e;
    }
  }

  /** Runs the call on the downstream's pool, so that the time limiter can give up on it. */
  private <T> T timeLimited(Callable<T> call) throws Exception {
    long start = nanos.getAsLong();
    int concurrent = inFlight.incrementAndGet();
    boolean overloaded = false;
    Future<T> future = calls.submit(call);
    try {
      return timeLimiter.executeFutureSupplier(() -> future);
    } catch (InterruptedException e) {
      // The handler was cancelled: stop the call too.
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    } catch (Exception e) {
      overloaded = recordedAsFailure(classifier, e);
      throw e;
    } finally {
      inFlight.decrementAndGet();
      if (adaptiveLimit != null) {
        adapt(adaptiveLimit.onSample(nanos.getAsLong() - start, concurrent, overloaded));
      }
    }
  }

  /** Applies the latest adaptive limit to the bulkhead, on the adjuster's thread. */
  private void adapt(int limit) {
    if (limit == bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
        || !adjustmentPending.compareAndSet(false, true)) {
      return;
    }
    try {
      limitAdjuster.execute(
          () -> {
            adjustmentPending.set(false);
            int latest = adaptiveLimit.limit();
            BulkheadConfig current = bulkhead.getBulkheadConfig();
            if (latest != current.getMaxConcurrentCalls()) {
              bulkhead.changeConfig(
                  BulkheadConfig.from(current).maxConcurrentCalls(latest).build());
            }
          });
    } catch (RejectedExecutionException e) {
      // Closed: the limit no longer matters.
      adjustmentPending.set(false);
    }
  }

  @Override
  public int concurrencyLimit() {
    return bulkhead == null ? 0 : bulkhead.getBulkheadConfig().getMaxConcurrentCalls();
  }

  @Override
  public Optional<String> globalRateLimitFallback() {
    return globalRate == null ? Optional.empty() : globalRate.fallbackReason();
  }

  /** The global rate limit, or null. */
  GlobalRateLimit globalRate() {
    return globalRate;
  }

  @Override
  public CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  @Override
  public Duration remainingOpenTime() {
    CircuitBreaker.State state = breaker.getState();
    if (state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN) {
      return Duration.ZERO;
    }
    Instant until = openUntil.get();
    if (until == null) {
      return config.breakerOpenFor();
    }
    Duration left = Duration.between(clock.instant(), until);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether a failure should be tried again within the handler. */
  static boolean retryable(DownstreamConfig config, ErrorClassifier classifier, Throwable error) {
    if (error instanceof CallNotPermittedException || isLocalRejection(error)) {
      return false;
    }
    if (classifier.classify(error) != ErrorClassifier.Verdict.RETRYABLE) {
      return false;
    }
    HttpStatusException http = Causes.find(error, HttpStatusException.class);
    // A long Retry-After is waited in the queue, not on a handler thread.
    return http == null
        || http.retryAfter().map(d -> d.compareTo(config.retryAfterMax()) <= 0).orElse(true);
  }

  /** Whether the breaker counts a failure against the downstream. */
  static boolean recordedAsFailure(ErrorClassifier classifier, Throwable error) {
    return !isLocalRejection(error)
        && classifier.classify(error) == ErrorClassifier.Verdict.RETRYABLE;
  }

  /**
   * No slot or no permit in time (this process is saturated), or the caller was interrupted: the
   * downstream did nothing wrong, so the breaker ignores it.
   */
  static boolean isLocalRejection(Throwable error) {
    return error instanceof BulkheadFullException
        || error instanceof RequestNotPermitted
        || error instanceof DownstreamRateLimitedException
        || error instanceof InterruptedException;
  }

  @Override
  public String toString() {
    return "Downstream{" + name + ", " + config + "}";
  }
}
