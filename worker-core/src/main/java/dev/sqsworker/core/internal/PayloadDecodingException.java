package dev.sqsworker.core.internal;

/** A message body could not be decoded into the handler's payload type. */
public final class PayloadDecodingException extends RuntimeException {

  /** Creates the exception; the message names the type and where decoding failed. */
  public PayloadDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
