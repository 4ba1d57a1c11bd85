/**
 * Admit: decode a received batch, resolve and check each message's idempotency key, and claim the
 * keys in one statement. A no-op gate stands in when idempotency is not configured.
 */
package dev.sqsworker.core.internal.admit;
