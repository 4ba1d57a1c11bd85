package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.resilience.Downstream;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pause condition of a worker whose handler needs some downstreams: the reason "circuit breaker
 * NAME is OPEN" while one of their breakers is open (or forced open), else null. A half-open
 * breaker does not pause: it lets trial calls through.
 */
public final class OpenBreakers implements Supplier<String> {

  private final List<Downstream> downstreams;

  /** Watches these downstreams' breakers. */
  public OpenBreakers(List<Downstream> downstreams) {
    this.downstreams = List.copyOf(downstreams);
  }

  @Override
  public String get() {
    for (Downstream downstream : downstreams) {
      CircuitBreaker.State state = downstream.breakerState();
      if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
        return "circuit breaker " + downstream.name() + " is " + state;
      }
    }
    return null;
  }
}
