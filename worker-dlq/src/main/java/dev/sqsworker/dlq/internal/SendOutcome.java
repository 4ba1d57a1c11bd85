package dev.sqsworker.dlq.internal;

/**
 * What happened to one {@link Outgoing} message.
 *
 * @param key the message's key
 * @param sent whether SQS accepted it
 * @param error why not, or {@code null} when sent
 */
public record SendOutcome(String key, boolean sent, String error) {}
