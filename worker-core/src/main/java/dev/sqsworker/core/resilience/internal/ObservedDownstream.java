package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.observation.WorkerObservation;
import dev.sqsworker.core.observation.WorkerObservation.DownstreamKeys;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.DownstreamConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A downstream whose calls are {@link WorkerObservation#DOWNSTREAM_CALL} observations, started on
 * the caller's thread so that the message being handled there is their parent. Used only when the
 * registry is not a no-op.
 */
final class ObservedDownstream implements Downstream {

  private final Downstream delegate;
  private final ObservationRegistry registry;

  ObservedDownstream(Downstream delegate, ObservationRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public <T> T call(Callable<T> call) throws Exception {
    Observation observation =
        Observation.createNotStarted(WorkerObservation.DOWNSTREAM_CALL.getName(), registry)
            .contextualName(delegate.name() + " call")
            .lowCardinalityKeyValue(DownstreamKeys.DOWNSTREAM.withValue(delegate.name()))
            .start();
    Observation.Scope scope = observation.openScope();
    try {
      return delegate.call(call);
    } catch (Exception | Error e) {
      observation.error(e);
      throw e;
    } finally {
      scope.close();
      observation.stop();
    }
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public DownstreamConfig config() {
    return delegate.config();
  }

  @Override
  public CircuitBreaker.State breakerState() {
    return delegate.breakerState();
  }

  @Override
  public Duration remainingOpenTime() {
    return delegate.remainingOpenTime();
  }

  @Override
  public int concurrencyLimit() {
    return delegate.concurrencyLimit();
  }

  @Override
  public java.util.Optional<String> globalRateLimitFallback() {
    return delegate.globalRateLimitFallback();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
