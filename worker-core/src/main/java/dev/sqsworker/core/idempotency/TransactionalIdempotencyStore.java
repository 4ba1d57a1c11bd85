package dev.sqsworker.core.idempotency;

import java.sql.Connection;
import java.time.Instant;

/**
 * A store whose records live in a JDBC database, so a completion can commit in the handler's own
 * transaction ({@link IdempotencyMode#TRANSACTIONAL}): the handler's writes and the key's
 * completion are applied together or not at all.
 */
public interface TransactionalIdempotencyStore extends IdempotencyStore {

  /**
   * Marks a claim completed inside the caller's transaction.
   *
   * @return false if the claim was lost (its token no longer matches): roll back
   */
  boolean complete(
      Connection transaction, String scope, Claim claim, Instant now, Instant expiresAt);
}
