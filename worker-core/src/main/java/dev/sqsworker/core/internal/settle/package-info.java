/**
 * Settle: the pure decision of what becomes of a message ({@link
 * dev.sqsworker.core.internal.settle.SettlementPolicy}) and the one {@link
 * dev.sqsworker.core.internal.settle.Acknowledger} that carries it out (delete, retry, park,
 * release, dead-letter) through SQS and the idempotency gate.
 */
package dev.sqsworker.core.internal.settle;
