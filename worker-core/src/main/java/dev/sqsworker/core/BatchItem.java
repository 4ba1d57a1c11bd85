package dev.sqsworker.core;

import java.util.Objects;

/**
 * One admitted message of a {@link BatchMessageHandler}'s batch: its decoded payload and its own
 * context (message id, attempt, idempotency key, deadline, and in transactional mode the batch's
 * one transaction).
 *
 * @param payload the decoded body
 * @param context the message's metadata
 * @param <T> the payload type
 */
public record BatchItem<T>(T payload, MessageContext context) {

  /** Checks that the context is present. */
  public BatchItem {
    Objects.requireNonNull(context, "context");
  }

  /** The SQS message id: what {@link BatchResult} reports outcomes by. */
  public String messageId() {
    return context.messageId();
  }
}
