package dev.sqsworker.core;

/**
 * Thrown by a handler for a failure that will not go away by trying again (a malformed order, a
 * rejected request). The message goes straight to the dead-letter queue with this exception as its
 * failure reason.
 */
public class NonRetryableException extends RuntimeException {

  /** Creates the exception with a message that says what is wrong with the message. */
  public NonRetryableException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
