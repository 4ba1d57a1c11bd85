/**
 * The sqs-worker runtime's public API: {@link dev.sqsworker.core.MessageHandler} to implement,
 * {@link dev.sqsworker.core.Worker} to run it, and the values and exceptions they exchange.
 * Implementations live in {@code dev.sqsworker.core.internal} and are not part of the API.
 */
package dev.sqsworker.core;
