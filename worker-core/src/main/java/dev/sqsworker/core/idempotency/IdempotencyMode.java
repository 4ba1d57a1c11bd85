package dev.sqsworker.core.idempotency;

/** How the completion of a key is recorded. */
public enum IdempotencyMode {
  /**
   * The key is marked completed after the handler returns, in its own statement (batched). Side
   * effects outside PostgreSQL should pass the key downstream (e.g. as an {@code Idempotency-Key}
   * header) so the downstream deduplicates the rare repeat after a crash.
   */
  NON_TRANSACTIONAL,
  /**
   * The handler gets a JDBC connection in an open transaction ({@code context.transaction()}); its
   * writes and the completion commit together, and only then is the message deleted: exactly-once
   * effects for work inside PostgreSQL.
   */
  TRANSACTIONAL
}
