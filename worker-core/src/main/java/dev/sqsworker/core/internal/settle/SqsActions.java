package dev.sqsworker.core.internal.settle;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Deletions and visibility changes for one queue, batched by the SDK's {@link SqsAsyncBatchManager}
 * (ten per request, or whatever has gathered after the flush interval). Tracks what is pending so
 * shutdown can wait for it.
 */
public final class SqsActions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsActions.class);

  /** Tries of a delete or visibility change whose failure is transient. */
  static final int TRIES = 4;

  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "InternalError",
          "InternalFailure",
          "ServiceUnavailable",
          "ThrottlingException",
          "RequestThrottled",
          "KmsThrottled");

  /**
   * How long a batched action may take before it is sent on its own instead: far beyond a round
   * trip and the flush interval, so only a batch whose answer never comes (a flush that did not
   * happen, a request lost on the way) meets it, and the message is not left waiting for its
   * visibility timeout.
   */
  static final Duration ACTION_TIMEOUT = Duration.ofSeconds(20);

  private final String queueUrl;
  private final SqsAsyncClient client;
  private final Duration actionTimeout;
  private final SqsAsyncBatchManager batches;
  private final ScheduledExecutorService scheduler;
  private final Runnable invalidReceipt;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  private final LongSupplier nanoTime;

  /** Creates the batcher for a queue, on the system's elapsed time. */
  public SqsActions(
      SqsAsyncClient client,
      String queueUrl,
      Duration flushInterval,
      ScheduledExecutorService scheduler) {
    this(client, queueUrl, flushInterval, scheduler, () -> {}, System::nanoTime);
  }

  /**
   * Creates the batcher for a queue.
   *
   * @param invalidReceipt told of each action refused for an invalid receipt handle (the message
   *     was delivered again since, or deleted): a known outcome, counted, not retried
   * @param nanoTime the source of elapsed time for {@link #awaitPending}
   */
  public SqsActions(
      SqsAsyncClient client,
      String queueUrl,
      Duration flushInterval,
      ScheduledExecutorService scheduler,
      Runnable invalidReceipt,
      LongSupplier nanoTime) {
    this(client, queueUrl, flushInterval, scheduler, invalidReceipt, nanoTime, ACTION_TIMEOUT);
  }

  /**
   * Creates the batcher for a queue.
   *
   * @param invalidReceipt told of each action refused for an invalid receipt handle (the message
   *     was delivered again since, or deleted): a known outcome, counted, not retried
   * @param nanoTime the source of elapsed time for {@link #awaitPending}
   * @param actionTimeout how long a batched action may take before it is sent on its own
   */
  public SqsActions(
      SqsAsyncClient client,
      String queueUrl,
      Duration flushInterval,
      ScheduledExecutorService scheduler,
      Runnable invalidReceipt,
      LongSupplier nanoTime,
      Duration actionTimeout) {
    this.client = client;
    this.actionTimeout = actionTimeout;
    this.nanoTime = nanoTime;
    this.queueUrl = queueUrl;
    this.scheduler = scheduler;
    this.invalidReceipt = invalidReceipt;
    this.batches =
        SqsAsyncBatchManager.builder()
            .client(client)
            .scheduledExecutor(scheduler)
            .overrideConfiguration(o -> o.maxBatchSize(10).sendRequestFrequency(flushInterval))
            .build();
  }

  /** Deletes a message (batched); a transient failure (its batch entry or the call) is retried. */
  public CompletableFuture<Void> delete(Message message) {
    return track(
        retrying(
            () ->
                batches
                    .deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()))
                    .thenApply(r -> (Void) null),
            () ->
                client
                    .deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()))
                    .thenApply(r -> (Void) null),
            "delete",
            message));
  }

  /**
   * Sets a message's visibility timeout, counted from now (batched); a transient failure is
   * retried.
   */
  public CompletableFuture<Void> changeVisibility(Message message, int seconds) {
    return track(
        retrying(
            () ->
                batches
                    .changeMessageVisibility(
                        b ->
                            b.queueUrl(queueUrl)
                                .receiptHandle(message.receiptHandle())
                                .visibilityTimeout(seconds))
                    .thenApply(r -> (Void) null),
            () ->
                client
                    .changeMessageVisibility(
                        b ->
                            b.queueUrl(queueUrl)
                                .receiptHandle(message.receiptHandle())
                                .visibilityTimeout(seconds))
                    .thenApply(r -> (Void) null),
            "visibility change",
            message));
  }

  /**
   * The action through the batch manager, tried again on a transient failure; one that does not
   * finish within the action timeout is sent on its own ({@code alone}) from then on.
   */
  private CompletableFuture<Void> retrying(
      Supplier<CompletableFuture<Void>> batched,
      Supplier<CompletableFuture<Void>> alone,
      String what,
      Message message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    attempt(batched, alone, what, message, 1, result);
    return result;
  }

  private void attempt(
      Supplier<CompletableFuture<Void>> call,
      Supplier<CompletableFuture<Void>> alone,
      String what,
      Message message,
      int tryNumber,
      CompletableFuture<Void> result) {
    call.get()
        .orTimeout(actionTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                result.complete(null);
                return;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof TimeoutException && tryNumber < TRIES) {
                LOG.warn(
                    "The {} of message {} on {} did not finish in {} ms; sending it on its own",
                    what,
                    message.messageId(),
                    queueUrl,
                    actionTimeout.toMillis());
                attempt(alone, alone, what, message, tryNumber + 1, result);
                return;
              }
              if (isInvalidReceipt(cause)) {
                invalidReceipt.run();
                LOG.info(
                    "The {} of message {} on {} was refused: its receipt handle is no longer"
                        + " valid (delivered again since, or deleted)",
                    what,
                    message.messageId(),
                    queueUrl);
                result.completeExceptionally(cause);
                return;
              }
              if (tryNumber >= TRIES || !isTransient(cause)) {
                result.completeExceptionally(cause);
                return;
              }
              long delay = 100L << (tryNumber - 1);
              LOG.debug(
                  "The {} of message {} on {} failed ({}); trying again in {} ms",
                  what,
                  message.messageId(),
                  queueUrl,
                  cause.toString(),
                  delay);
              try {
                scheduler.schedule(
                    () -> attempt(call, alone, what, message, tryNumber + 1, result),
                    delay,
                    TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException stopped) {
                result.completeExceptionally(cause);
              }
            });
  }

  /** Throttling, 5xx and client-side I/O failures are worth another try; a refusal is not. */
  static boolean isTransient(Throwable error) {
    if (error instanceof SqsException sqs) {
      String code = sqs.awsErrorDetails() == null ? null : sqs.awsErrorDetails().errorCode();
      return (code != null && TRANSIENT_CODES.contains(code))
          || sqs.statusCode() >= 500
          || sqs.isThrottlingException();
    }
    return error instanceof SdkClientException
        && !(error.getCause() instanceof RejectedExecutionException);
  }

  static boolean isInvalidReceipt(Throwable error) {
    if (error instanceof ReceiptHandleIsInvalidException) {
      return true;
    }
    if (error instanceof SqsException sqs) {
      String code = sqs.awsErrorDetails() == null ? null : sqs.awsErrorDetails().errorCode();
      if ("ReceiptHandleIsInvalid".equals(code)) {
        return true;
      }
      String text = String.valueOf(sqs.getMessage()).toLowerCase(java.util.Locale.ROOT);
      return text.contains("receipt handle")
          && (text.contains("not valid") || text.contains("invalid"));
    }
    return false;
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
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    try {
      // Until nothing is pending: a finished action may start another (the delete after a
      // dead-letter send), which a single snapshot would miss.
      while (!pending.isEmpty()) {
        CompletableFuture<?>[] all = pending.toArray(new CompletableFuture<?>[0]);
        long left = deadline - nanoTime.getAsLong();
        if (left <= 0) {
          throw new TimeoutException();
        }
        try {
          CompletableFuture.allOf(all).get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          // Individual failures were logged by their callers; look again.
          pending.removeIf(CompletableFuture::isDone);
        }
      }
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
    }
  }

  @Override
  public void close() {
    batches.close();
  }
}
