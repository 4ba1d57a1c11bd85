package dev.sqsworker.core;

/**
 * What a user implements: handles one decoded message.
 *
 * <p>Return normally and the message is deleted from the queue. Throw and it is retried after a
 * backoff, or sent to the dead-letter queue with the failure reason when the error is non-retryable
 * ({@link NonRetryableException} or a type configured as such) or the message has no attempts left.
 * Nothing is deleted before this method has returned. A {@link
 * dev.sqsworker.core.resilience.DownstreamUnavailableException} (a downstream's circuit breaker is
 * open) parks the message until the breaker lets calls through, without counting an attempt.
 *
 * <pre>{@code
 * MessageHandler<Order> handler = (order, context) -> orders.ship(order.id());
 * }</pre>
 *
 * @param <T> the payload type, decoded from the message body with Jackson ({@code String} and
 *     {@code byte[]} receive the raw body)
 */
@FunctionalInterface
public interface MessageHandler<T> {

  /**
   * Handles one message. Called on a worker thread; may block. Long handlers should check {@link
   * MessageContext#isCancelled()} (or respond to interruption) and stop early when it is set.
   *
   * @param payload the decoded body
   * @param context the message's metadata
   * @throws Exception any failure; see the class documentation for what happens next
   */
  void handle(T payload, MessageContext context) throws Exception;
}
