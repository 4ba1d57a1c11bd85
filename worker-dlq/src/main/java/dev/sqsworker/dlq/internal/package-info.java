/**
 * How the dead-letter queue library does its work: the receive loop that holds messages while it
 * looks at them, the batch sender, replay, export, import and the SQS calls behind them. Not an
 * API: use {@link dev.sqsworker.dlq.DeadLetterQueues}.
 */
package dev.sqsworker.dlq.internal;
