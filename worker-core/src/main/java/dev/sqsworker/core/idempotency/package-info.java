/**
 * Idempotency keys in PostgreSQL: a message's key is claimed before its handler runs, so a key
 * whose work is done is not done again and a key is never handled twice at once. In transactional
 * mode the handler's own writes and the completion commit together.
 *
 * <p>The store is split by use: {@link dev.sqsworker.core.idempotency.IdempotencyClaims} (the
 * message path's claim, lease, completion and release), {@link
 * dev.sqsworker.core.idempotency.IdempotencyMaintenance} (forget, purge), both together with a
 * health probe in {@link dev.sqsworker.core.idempotency.IdempotencyStore}, and the JDBC-typed
 * completion inside the handler's transaction in {@link
 * dev.sqsworker.core.idempotency.TransactionalIdempotencyStore}.
 */
package dev.sqsworker.core.idempotency;
