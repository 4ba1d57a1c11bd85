package dev.sqsworker.core;

import java.util.List;

/**
 * What a user implements to handle the messages of one receive at once (up to {@link
 * WorkerConfig#batchSize()}), e.g. to write them in one SQL statement or one downstream call, and
 * to report an outcome per message.
 *
 * <p>Everything a {@link MessageHandler} gets applies per message: undecodable messages, unusable
 * idempotency keys and keys completed before are settled before the call and never given to it;
 * each message has its own claim, attempt count, retry backoff and dead-letter reason; the
 * heartbeat keeps every message of the batch invisible while the call runs, and {@link
 * WorkerConfig#maxHandlingTime()} applies to the call.
 *
 * <p>Return {@link BatchResult#allSucceeded()} when every message succeeded; otherwise name the
 * failed ones (retried after their backoff, or dead-lettered once out of attempts) and the rejected
 * ones (non-retryable: dead-lettered at once with the reason). A message the result does not name
 * succeeded. Throwing fails every message of the batch with that error. A result that names a
 * message id not in the batch is a bug: every message of the batch is failed with an error saying
 * so, and nothing is deleted.
 *
 * <p>In the transactional idempotency mode the call runs in one transaction (every item's {@link
 * MessageContext#transaction()} is the same connection); the completions of the successful items
 * are written in it, and it commits after the call. The batch's writes commit together, so do not
 * write for an item you report failed or rejected (or roll back to a savepoint taken before it).
 *
 * <p>On a FIFO queue a batch holds messages of one message group, in order. Once an item did not
 * succeed, the later items of the batch are released unsettled (not deleted, not completed, no
 * attempt used) and come back after it, so a FIFO batch handler should stop at the first failure:
 *
 * <pre>{@code
 * BatchMessageHandler<Order> handler = items -> {
 *   for (BatchItem<Order> item : items) {
 *     try {
 *       orders.ship(item.payload());
 *     } catch (RuntimeException e) {
 *       return BatchResult.builder().failed(item, e).build();
 *     }
 *   }
 *   return BatchResult.allSucceeded();
 * };
 * }</pre>
 *
 * @param <T> the payload type, decoded as for {@link MessageHandler}
 */
@FunctionalInterface
public interface BatchMessageHandler<T> {

  /**
   * Handles a batch. Called on a worker thread; may block. Long calls should check {@link
   * MessageContext#isCancelled()} of the items (or respond to interruption).
   *
   * @param items the admitted messages of one receive (of one message group on a FIFO queue), in
   *     the order they were received; never empty; unmodifiable
   * @return the outcome of each message that did not succeed
   * @throws Exception fails every message of the batch with this error
   */
  BatchResult handle(List<BatchItem<T>> items) throws Exception;
}
