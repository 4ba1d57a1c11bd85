package dev.sqsworker.core.resilience;

import dev.sqsworker.core.NonRetryableException;
import java.util.Objects;

/**
 * A downstream refused a call for a reason that will not go away by trying again (a non-retryable
 * verdict of the {@link ErrorClassifier}, e.g. HTTP 400 or 404). It is a {@link
 * NonRetryableException}, so the message goes to the dead-letter queue with this as its reason; the
 * original failure is the cause.
 */
public class DownstreamRejectedException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final String downstream;

  /** Creates the exception for a call to {@code downstream} that failed with {@code cause}. */
  public DownstreamRejectedException(String downstream, Throwable cause) {
    super("downstream '" + downstream + "' rejected the call: " + describe(cause), cause);
    this.downstream = Objects.requireNonNull(downstream, "downstream");
  }

  /** The downstream's name. */
  public String downstream() {
    return downstream;
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
  }
}
