package dev.sqsworker.core.resilience;

import java.time.Duration;

/**
 * A downstream call was not made because the downstream's global rate limit (shared by every task)
 * had no permit within {@link DownstreamConfig#maxWait()}. Like an open breaker, it parks the
 * message for {@link #retryIn()} without counting an attempt: being over the shared limit is not
 * the message's fault.
 */
public class DownstreamRateLimitedException extends DownstreamUnavailableException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param downstream the downstream's name
   * @param retryIn when a permit is likely again
   */
  public DownstreamRateLimitedException(String downstream, Duration retryIn) {
    super(
        "global rate limit of downstream '"
            + downstream
            + "' had no permit in time; try again in "
            + retryIn.toMillis()
            + " ms",
        downstream,
        retryIn,
        null);
  }
}
