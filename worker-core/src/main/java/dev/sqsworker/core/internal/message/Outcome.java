package dev.sqsworker.core.internal.message;

/** What became of one message. */
public enum Outcome {
  /** Handled; deleted. */
  SUCCEEDED,
  /** Already completed earlier (idempotency); deleted without running the handler. */
  DUPLICATE,
  /** Failed; put back with a backoff. */
  RETRIED,
  /** Sent to the dead-letter queue (or being sent). */
  DEAD_LETTERED,
  /** Put back at once, not handled (shutdown, FIFO order, busy key). */
  RELEASED,
  /**
   * A downstream's circuit breaker refused the handler's call: left invisible until the breaker
   * lets calls through again, without counting the attempt.
   */
  PARKED
}
