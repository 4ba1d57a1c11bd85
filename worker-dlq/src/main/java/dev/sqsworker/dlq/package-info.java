/**
 * Dead-letter queues as a library: list them, peek at and group their messages, replay the ones a
 * {@link dev.sqsworker.dlq.MessageFilter} selects back to where they came from, export them to a
 * JSON Lines file and import them again, drive SQS's native redrive, and purge.
 *
 * <p>The entry point is {@link dev.sqsworker.dlq.DeadLetterQueues}. Every operation that moves a
 * message sends it first and deletes it from the dead-letter queue only after the send succeeded,
 * so a crash at any point may duplicate a message but never loses one. Implementations live in
 * {@code dev.sqsworker.dlq.internal}; the {@code dlq} command line is in {@code
 * dev.sqsworker.dlq.cli}.
 */
package dev.sqsworker.dlq;
