package dev.sqsworker.core;

/**
 * A message body could not be decoded into the handler's payload type (not JSON, trailing data, a
 * missing or mistyped field). Such a message is dead-lettered at once with reason {@link
 * FailureKind#DECODE}; this class is the {@code errorClass} of that reason.
 */
public final class PayloadDecodingException extends RuntimeException {

  /** Creates the exception; the message names the type and where decoding failed. */
  public PayloadDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
