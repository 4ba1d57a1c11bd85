package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.internal.support.Causes;
import dev.sqsworker.core.resilience.HttpStatusException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before an in-handler retry: the server's {@code Retry-After} when it sent one (only
 * short ones are retried in the handler at all), else exponential backoff with full jitter — a
 * random wait between zero and {@code min(cap, base × 2^(retry-1))}, so that many callers retrying
 * together spread out.
 */
public final class RetryWait implements IntervalBiFunction<Object> {

  private final long baseMillis;
  private final long capMillis;
  private final DoubleSupplier random;

  /** Creates the wait function; {@code random} returns values in {@code [0, 1)}. */
  public RetryWait(Duration base, Duration cap, DoubleSupplier random) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  @Override
  public Long apply(Integer retry, Either<Throwable, Object> outcome) {
    if (outcome != null && outcome.isLeft()) {
      HttpStatusException http = Causes.find(outcome.getLeft(), HttpStatusException.class);
      if (http != null && http.retryAfter().isPresent()) {
        return http.retryAfter().get().toMillis();
      }
    }
    return jitter(retry);
  }

  /** The full-jitter wait before retry number {@code retry} (from 1), in milliseconds. */
  long jitter(int retry) {
    int doublings = Math.max(0, Math.min(retry - 1, 40));
    long ceiling = baseMillis << doublings;
    if (ceiling <= 0 || ceiling > capMillis) {
      ceiling = capMillis;
    }
    return (long) (random.getAsDouble() * ceiling);
  }
}
