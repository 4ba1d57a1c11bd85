package dev.sqsworker.dlq;

/**
 * A message that could not be moved, and why. It stays where it was.
 *
 * @param messageId the message's id in the queue it was read from (or the line number of an import
 *     file)
 * @param destination the queue it was to be sent to, or {@code null} if none could be found
 * @param reason why it could not be sent
 */
public record MessageFailure(String messageId, String destination, String reason) {}
