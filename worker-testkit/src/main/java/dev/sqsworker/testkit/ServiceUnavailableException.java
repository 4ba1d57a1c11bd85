package dev.sqsworker.testkit;

/**
 * A local service could not be started here (for example LocalStack without a Docker engine). The
 * JUnit extension turns it into a skipped test with this message.
 */
public class ServiceUnavailableException extends RuntimeException {

  /** Creates the exception with a message saying what is missing. */
  public ServiceUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the cause. */
  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
