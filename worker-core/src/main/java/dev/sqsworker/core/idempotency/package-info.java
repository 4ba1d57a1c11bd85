/**
 * Idempotency keys in PostgreSQL: a message's key is claimed before its handler runs, so a key
 * whose work is done is not done again and a key is never handled twice at once. In transactional
 * mode the handler's own writes and the completion commit together.
 */
package dev.sqsworker.core.idempotency;
