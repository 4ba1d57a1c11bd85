package dev.sqsworker.dlq;

import dev.sqsworker.dlq.internal.SqsErrors;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An operation on a dead-letter queue could not be done. {@link #problem()} says what kind of
 * trouble it was, so that callers (and the CLI's exit code) can tell them apart; the message names
 * the queue or file involved. When one is thrown no message has been lost: whatever was not yet
 * moved is still in the dead-letter queue.
 */
public class DlqException extends RuntimeException {

  /** The kinds of trouble. */
  public enum Problem {
    /** The queue does not exist (or is not visible with these credentials and region). */
    QUEUE_NOT_FOUND,
    /** The queue is no queue's dead-letter queue, and the operation only works on one. */
    NOT_A_DEAD_LETTER_QUEUE,
    /** SQS kept refusing calls because of throttling, even after the SDK's retries. */
    THROTTLED,
    /** SQS rejected a call for another reason (permissions, invalid parameters, conflict). */
    SERVICE,
    /** The S3 object a large-payload pointer names (or its bucket) does not exist. */
    PAYLOAD_NOT_FOUND,
    /** A local file could not be read or written. */
    IO,
    /** The operation was interrupted (Ctrl-C) before it finished. */
    INTERRUPTED
  }

  private final Problem problem;

  /** An exception of the given kind with a message naming what was involved. */
  public DlqException(Problem problem, String message) {
    this(problem, message, null);
  }

  /** An exception of the given kind with a message and the underlying cause. */
  public DlqException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * The exception for an SDK failure while trying to {@code what} (a phrase such as "receive
   * messages from orders-dlq"): a missing queue, missing credentials or region, throttling, an
   * interrupt, or another service error, each with its {@link Problem}.
   */
  public static DlqException of(String what, SdkException cause) {
    return SqsErrors.translate(what, cause);
  }

  /** What kind of trouble this was. */
  public Problem problem() {
    return problem;
  }
}
