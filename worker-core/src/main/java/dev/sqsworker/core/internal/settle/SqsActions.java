package dev.sqsworker.core.internal.settle;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Deletions and visibility changes for one queue, batched by the SDK's {@link SqsAsyncBatchManager}
 * (ten per request, or whatever has gathered after the flush interval). Tracks what is pending so
 * shutdown can wait for it.
 */
public final class SqsActions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsActions.class);

  private final String queueUrl;
  private final SqsAsyncBatchManager batches;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

  /** Creates the batcher for a queue. */
  public SqsActions(
      SqsAsyncClient client,
      String queueUrl,
      Duration flushInterval,
      ScheduledExecutorService scheduler) {
    this.queueUrl = queueUrl;
    this.batches =
        SqsAsyncBatchManager.builder()
            .client(client)
            .scheduledExecutor(scheduler)
            .overrideConfiguration(o -> o.maxBatchSize(10).sendRequestFrequency(flushInterval))
            .build();
  }

  /** Deletes a message (batched). */
  public CompletableFuture<Void> delete(Message message) {
    return track(
        batches
            .deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()))
            .thenApply(r -> null));
  }

  /** Sets a message's visibility timeout, counted from now (batched). */
  public CompletableFuture<Void> changeVisibility(Message message, int seconds) {
    return track(
        batches
            .changeMessageVisibility(
                b ->
                    b.queueUrl(queueUrl)
                        .receiptHandle(message.receiptHandle())
                        .visibilityTimeout(seconds))
            .thenApply(r -> null));
  }

  /** Tracks another future that shutdown must wait for (e.g. a dead-letter send). */
  public <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    pending.add(future);
    future.whenComplete((r, e) -> pending.remove(future));
    return future;
  }

  /** How many actions are still pending. */
  public int pending() {
    return pending.size();
  }

  /**
   * Waits until every pending action has completed, or the timeout.
   *
   * @return whether all completed
   */
  public boolean awaitPending(Duration timeout) {
    CompletableFuture<?>[] all = pending.toArray(new CompletableFuture<?>[0]);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (TimeoutException e) {
      LOG.warn(
          "{} SQS actions on {} still pending after {}: {}",
          pending.size(),
          queueUrl,
          timeout,
          pending);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      // Individual failures were logged by their callers; all have completed.
      return true;
    }
  }

  @Override
  public void close() {
    batches.close();
  }
}
