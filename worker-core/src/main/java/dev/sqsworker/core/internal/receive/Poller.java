package dev.sqsworker.core.internal.receive;

import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One receive loop: takes permits for a batch, long-polls for that many messages, gives back the
 * permits it did not use and dispatches what it got. Errors are logged with the queue name and the
 * loop backs off and goes on; it only ends when the worker stops.
 */
public final class Poller implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
  private static final BackoffPolicy ERROR_BACKOFF =
      BackoffPolicy.exponential(Duration.ofMillis(200), Duration.ofSeconds(20));
  private static final List<MessageSystemAttributeName> SYSTEM_ATTRIBUTES =
      List.of(
          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
          MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
          MessageSystemAttributeName.SENT_TIMESTAMP,
          MessageSystemAttributeName.MESSAGE_GROUP_ID,
          MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID,
          MessageSystemAttributeName.AWS_TRACE_HEADER);

  private static final String SENT_TIMESTAMP = MessageSystemAttributeName.SENT_TIMESTAMP.toString();

  private final SqsAsyncClient client;
  private final WorkerConfig config;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final PollerStatus status;
  private final Supplier<String> pausedBy;
  private final CountDownLatch stopSignal;
  private final AtomicReference<CompletableFuture<ReceiveMessageResponse>> current =
      new AtomicReference<>();
  private volatile boolean running = true;
  private volatile Instant lastProgress;

  /** The ReceiveRequestAttemptId of the next receive (FIFO queues only, else null). */
  private String receiveAttemptId;

  /** Creates a poller; it runs until {@link #stop()}. */
  public Poller(
      SqsAsyncClient client,
      WorkerConfig config,
      Dispatcher dispatcher,
      Clock clock,
      WorkerMetrics metrics,
      PollerStatus status,
      Supplier<String> pausedBy,
      CountDownLatch stopSignal) {
    this.client = client;
    this.config = config;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.metrics = metrics;
    this.status = status;
    this.pausedBy = pausedBy;
    this.stopSignal = stopSignal;
    this.lastProgress = clock.instant();
    this.receiveAttemptId = config.fifo() ? UUID.randomUUID().toString() : null;
  }

  /** Ends the loop: no new receive starts, and the one under way is abandoned. */
  public void stop() {
    running = false;
    CompletableFuture<ReceiveMessageResponse> receive = current.get();
    if (receive != null) {
      receive.cancel(true);
    }
  }

  /**
   * When the loop last moved: started a receive, got an answer, or found every slot busy. A poller
   * whose last progress is long past is stuck.
   */
  public Instant lastProgress() {
    return lastProgress;
  }

  @Override
  public void run() {
    int errors = 0;
    while (running) {
      lastProgress = clock.instant();
      if (pausedBy.get() != null) {
        waitFor(Duration.ofMillis(100));
        continue;
      }
      int permits;
      try {
        permits = dispatcher.acquire(config.batchSize(), Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (permits == 0) {
        continue; // every slot busy: alive, just saturated
      }
      if (!running) {
        dispatcher.release(permits);
        return;
      }
      Instant receivedAt = clock.instant();
      List<Message> messages;
      try {
        messages = receive(permits);
        // A new id for the next receive; after a failure the same one is sent again, so SQS can
        // return the messages of a receive whose answer was lost instead of hiding them. (Only
        // FIFO queues take one; a random UUID per receive is not free.)
        if (config.fifo()) {
          receiveAttemptId = UUID.randomUUID().toString();
        }
        errors = 0;
        status.success(clock.instant());
      } catch (CancellationException e) {
        dispatcher.release(permits);
        return;
      } catch (InterruptedException e) {
        dispatcher.release(permits);
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | ExecutionException e) {
        dispatcher.release(permits);
        if (!running) {
          return;
        }
        errors++;
        status.failure();
        metrics.pollErrors.increment();
        Duration delay = ERROR_BACKOFF.delay(Math.min(errors, 10));
        LOG.warn(
            "Receive from {} failed ({} in a row); retrying in {} ms: {}",
            config.queueUrl(),
            errors,
            delay.toMillis(),
            rootMessage(e));
        waitFor(delay);
        continue;
      }
      dispatcher.received(Duration.between(receivedAt, clock.instant()), permits, messages.size());
      dispatcher.release(permits - messages.size());
      if (!messages.isEmpty()) {
        metrics.received.increment(messages.size());
        recordQueueTime(messages, receivedAt);
        dispatcher.dispatch(messages, receivedAt);
      }
    }
  }

  /** How long each message waited in the queue: from its SentTimestamp to this receive. */
  private void recordQueueTime(List<Message> messages, Instant receivedAt) {
    for (Message message : messages) {
      String sent = message.attributesAsStrings().get(SENT_TIMESTAMP);
      if (sent != null) {
        try {
          long waited = receivedAt.toEpochMilli() - Long.parseLong(sent);
          metrics.queueTime.record(Math.max(0, waited), TimeUnit.MILLISECONDS);
        } catch (NumberFormatException e) {
          // Not a time SQS wrote: nothing to record.
        }
      }
    }
  }

  private List<Message> receive(int max) throws InterruptedException, ExecutionException {
    ReceiveMessageRequest.Builder builder =
        ReceiveMessageRequest.builder()
            .queueUrl(config.queueUrl())
            .maxNumberOfMessages(max)
            .waitTimeSeconds((int) config.waitTime().toSeconds())
            .visibilityTimeout((int) config.visibilityTimeout().toSeconds())
            .messageSystemAttributeNames(SYSTEM_ATTRIBUTES)
            .messageAttributeNames("All");
    if (config.fifo()) {
      builder.receiveRequestAttemptId(receiveAttemptId);
    }
    CompletableFuture<ReceiveMessageResponse> future = client.receiveMessage(builder.build());
    current.set(future);
    try {
      if (!running) {
        future.cancel(true);
      }
      return future.get().messages();
    } finally {
      current.set(null);
    }
  }

  private void waitFor(Duration delay) {
    try {
      stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Shared by a worker's pollers: when SQS last answered and how many receives failed since. */
  public static final class PollerStatus {
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

    void success(Instant at) {
      consecutiveErrors.set(0);
      lastSuccess.set(at);
    }

    void failure() {
      consecutiveErrors.incrementAndGet();
    }

    /** Failed receives since the last success. */
    public int consecutiveErrors() {
      return consecutiveErrors.get();
    }

    /** When a receive last succeeded, or null. */
    public Instant lastSuccess() {
      return lastSuccess.get();
    }
  }
}
