package dev.sqsworker.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * A downstream call was not made because the downstream's circuit breaker is open (or half-open
 * with all its trial calls taken). The worker parks the message for {@link #retryIn()} without
 * counting an attempt, so an outage never fills the dead-letter queue.
 */
public class DownstreamUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String downstream;
  private final Duration retryIn;

  /**
   * Creates the exception.
   *
   * @param downstream the downstream's name
   * @param retryIn how long the breaker stays open, zero if unknown or already over
   * @param cause resilience4j's {@code CallNotPermittedException}
   */
  public DownstreamUnavailableException(String downstream, Duration retryIn, Throwable cause) {
    super(
        "circuit breaker of downstream '"
            + downstream
            + "' is open; calls are refused for "
            + retryIn.toMillis()
            + " ms more",
        cause);
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.retryIn = retryIn.isNegative() ? Duration.ZERO : retryIn;
  }

  /**
   * Creates the exception with its own message, for other reasons a call is not made now.
   *
   * @param message what refused the call
   * @param downstream the downstream's name
   * @param retryIn when a call has a chance again
   * @param cause the refusal's cause, or null
   */
  protected DownstreamUnavailableException(
      String message, String downstream, Duration retryIn, Throwable cause) {
    super(message, cause);
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.retryIn = retryIn.isNegative() ? Duration.ZERO : retryIn;
  }

  /** The downstream's name. */
  public String downstream() {
    return downstream;
  }

  /** How long the breaker stays open from when the call was refused; never negative. */
  public Duration retryIn() {
    return retryIn;
  }
}
