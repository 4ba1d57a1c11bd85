package dev.sqsworker.core.idempotency;

/**
 * The idempotency store could not be reached or refused a statement. The worker treats it as the
 * store being down: it does not run handlers that need it and does not dead-letter messages because
 * of it.
 */
public class IdempotencyStoreException extends RuntimeException {

  /** Creates the exception; the message names the scope or key. */
  public IdempotencyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
