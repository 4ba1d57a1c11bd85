package dev.sqsworker.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a handler knows about the message it handles. */
public interface MessageContext {

  /** The SQS message id. */
  String messageId();

  /** The URL of the queue the message came from. */
  String queueUrl();

  /**
   * How often SQS has delivered the message, this delivery included ({@code
   * ApproximateReceiveCount}).
   */
  int receiveCount();

  /**
   * Which attempt this is, from 1. It counts only real attempts: where the worker tracks attempts
   * itself, receives that did not run the handler (a message parked while a breaker was open, a
   * message released at shutdown) are not counted; otherwise it equals {@link #receiveCount()}.
   */
  int attempt();

  /** The most attempts the message gets before it is dead-lettered. */
  int maxAttempts();

  /** The message's string and number attributes, by name. */
  Map<String, String> attributes();

  /** When the message was first sent to the queue ({@code SentTimestamp}). */
  Instant sentTimestamp();

  /** The FIFO message group id; empty on a standard queue. */
  Optional<String> messageGroupId();

  /**
   * The trace header: the {@code AWSTraceHeader} system attribute (X-Ray) if present, else a W3C
   * {@code traceparent} message attribute.
   */
  Optional<String> traceHeader();

  /** The idempotency key of the message, when idempotency is configured. */
  Optional<String> idempotencyKey();

  /**
   * The open transaction of the transactional idempotency mode: write through this connection and
   * the writes commit together with the key's completion (do not commit or close it yourself).
   * Empty in other modes.
   */
  default Optional<java.sql.Connection> transaction() {
    return Optional.empty();
  }

  /**
   * The latest time the handler may run: after it the worker stops extending the message's
   * visibility and cancels the handler.
   */
  Instant deadline();

  /**
   * Whether the handler should stop: the deadline passed, the message's visibility or lease was
   * lost, or the worker is shutting down past its grace period. The worker also interrupts the
   * handler's thread when it cancels.
   */
  boolean isCancelled();
}
