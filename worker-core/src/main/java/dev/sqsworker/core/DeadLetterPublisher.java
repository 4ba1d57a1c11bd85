package dev.sqsworker.core;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Sends a message that cannot be handled to the dead-letter queue with its failure reason. The
 * worker deletes the message from its source queue only after the returned future completes
 * normally; if it fails, the message stays in the source queue and is tried again later.
 */
@FunctionalInterface
public interface DeadLetterPublisher {

  /**
   * Publishes the message.
   *
   * @param message the message as received from the source queue
   * @param reason why it is dead-lettered
   * @return completes when the dead-letter queue holds the message
   */
  CompletableFuture<Void> publish(Message message, FailureReason reason);
}
