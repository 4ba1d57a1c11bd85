package dev.sqsworker.core.resilience;

import dev.sqsworker.core.resilience.internal.StandardErrorClassifier;

/**
 * Sorts a downstream call's failure: retryable failures are retried within the handler and count
 * against the circuit breaker; non-retryable ones are neither, and dead-letter the message.
 *
 * <pre>{@code
 * ErrorClassifier mine = error -> error instanceof OutOfStockException
 *     ? ErrorClassifier.Verdict.NON_RETRYABLE
 *     : ErrorClassifier.standard().classify(error);
 * }</pre>
 */
@FunctionalInterface
public interface ErrorClassifier {

  /** What to do about a failure. */
  enum Verdict {
    /**
     * A failure of the downstream (timeout, connection error, HTTP 5xx or 429): retried, and
     * recorded as a failure by the circuit breaker.
     */
    RETRYABLE,
    /**
     * A failure of the request (HTTP 4xx other than 408 and 429): not retried, recorded as a
     * success by the circuit breaker (the downstream answered), and the message is dead-lettered.
     */
    NON_RETRYABLE
  }

  /**
   * Classifies one failure of a call.
   *
   * @param error what the call threw (never a resilience4j rejection such as an open breaker)
   * @return the verdict, never null
   */
  Verdict classify(Throwable error);

  /**
   * The standard classifier: {@link HttpStatusException} by its status (5xx, 408 and 429 retryable,
   * other 4xx not); {@link dev.sqsworker.core.NonRetryableException}, {@link
   * IllegalArgumentException} and {@link InterruptedException} not retryable; everything else —
   * timeouts, {@link java.io.IOException} such as {@link java.net.ConnectException} and {@link
   * java.net.http.HttpTimeoutException}, unknown errors — retryable. Causes are followed, so a
   * wrapped {@code HttpStatusException} is classified by its status.
   */
  static ErrorClassifier standard() {
    return StandardErrorClassifier.INSTANCE;
  }
}
