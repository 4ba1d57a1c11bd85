package dev.sqsworker.core.internal;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Takes one message from receipt to its end: checks its attempts, decodes it, runs the handler and
 * acts on the result (delete, retry with backoff, or dead-letter with the reason).
 */
public final class MessageProcessor {

  /** MDC key of the message id while a handler runs. */
  public static final String MDC_MESSAGE_ID = "sqsworker.messageId";

  /** MDC key of the queue name while a handler runs. */
  public static final String MDC_QUEUE = "sqsworker.queue";

  /** MDC key of the attempt number while a handler runs. */
  public static final String MDC_ATTEMPT = "sqsworker.attempt";

  private static final Logger LOG = LoggerFactory.getLogger(MessageProcessor.class);

  private final WorkerConfig config;
  private final PayloadDecoder.Bound decoder;
  private final MessageHandler<Object> handler;
  private final SqsActions actions;
  private final DeadLetterPublisher deadLetters;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier stopping;

  /** Creates the processor of one worker. */
  @SuppressWarnings("unchecked")
  public MessageProcessor(
      WorkerConfig config,
      PayloadDecoder.Bound decoder,
      MessageHandler<?> handler,
      SqsActions actions,
      DeadLetterPublisher deadLetters,
      WorkerMetrics metrics,
      Clock clock,
      BooleanSupplier stopping) {
    this.config = config;
    this.decoder = decoder;
    this.handler = (MessageHandler<Object>) handler;
    this.actions = actions;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
    this.stopping = stopping;
  }

  /** Processes one message to its outcome. Never throws for a message's own failure. */
  public Outcome process(InFlightMessage m) {
    int attempt = m.receiveCount();
    MDC.put(MDC_MESSAGE_ID, m.messageId());
    MDC.put(MDC_QUEUE, config.queueName());
    MDC.put(MDC_ATTEMPT, Integer.toString(attempt));
    try {
      if (stopping.getAsBoolean()) {
        return release(m);
      }
      if (attempt > config.maxAttempts()) {
        // A previous attempt failed to dead-letter it, or SQS redelivered it after a crash.
        return deadLetter(m, FailureKind.EXHAUSTED, null, attempt - 1);
      }
      Object payload;
      try {
        payload = decoder.decode(m.message().body());
      } catch (PayloadDecodingException e) {
        metrics.failed.increment();
        return deadLetter(m, FailureKind.DECODE, e, attempt);
      }
      return handle(m, payload, attempt);
    } finally {
      MDC.remove(MDC_MESSAGE_ID);
      MDC.remove(MDC_QUEUE);
      MDC.remove(MDC_ATTEMPT);
    }
  }

  private Outcome handle(InFlightMessage m, Object payload, int attempt) {
    var context =
        new DefaultMessageContext(m, config.queueUrl(), attempt, config.maxAttempts(), null);
    Throwable failure = null;
    long start = System.nanoTime();
    m.attach(Thread.currentThread());
    try {
      handler.handle(payload, context);
    } catch (Exception e) {
      failure = e;
    } catch (Error e) {
      // The message is retried like any failure; the JVM error itself still propagates.
      m.detach();
      Thread.interrupted();
      retry(m, attempt, e);
      throw e;
    } finally {
      m.detach();
      // A cancellation may have interrupted this pool thread; do not leak that to the next task.
      Thread.interrupted();
      metrics.handlerDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    if (failure == null) {
      metrics.succeeded.increment();
      delete(m);
      return Outcome.SUCCEEDED;
    }
    metrics.failed.increment();
    if (m.cancelled() && stopping.getAsBoolean()) {
      // Cancelled by shutdown past its grace: not the message's fault.
      return release(m);
    }
    if (isNonRetryable(failure)) {
      return deadLetter(m, FailureKind.NON_RETRYABLE, failure, attempt);
    }
    if (attempt >= config.maxAttempts()) {
      return deadLetter(m, FailureKind.EXHAUSTED, failure, attempt);
    }
    return retry(m, attempt, failure);
  }

  private boolean isNonRetryable(Throwable failure) {
    if (failure instanceof NonRetryableException) {
      return true;
    }
    for (Class<? extends Throwable> type : config.nonRetryableExceptions()) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  private Outcome retry(InFlightMessage m, int attempt, Throwable failure) {
    Duration delay = config.backoff().delay(attempt);
    // SQS keeps a message invisible at most 12 h after it was received.
    Duration left =
        WorkerConfig.SQS_MAX_VISIBILITY
            .minus(Duration.between(m.receivedAt(), clock.instant()))
            .minusSeconds(1);
    if (delay.compareTo(left) > 0) {
      delay = left.isNegative() ? Duration.ZERO : left;
    }
    int seconds = (int) ((delay.toMillis() + 999) / 1000);
    LOG.info(
        "Message {} on {} failed on attempt {}/{}; retrying in {} s: {}",
        m.messageId(),
        config.queueName(),
        attempt,
        config.maxAttempts(),
        seconds,
        failure.toString());
    metrics.retried.increment();
    actions
        .changeVisibility(m.message(), seconds)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn(
                    "Could not set the retry backoff of message {} on {}; it returns when its"
                        + " visibility ends",
                    m.messageId(),
                    config.queueName(),
                    e);
              }
            });
    return Outcome.RETRIED;
  }

  /** Puts a message back at once without handling it and without a backoff. */
  public Outcome release(InFlightMessage m) {
    metrics.released.increment();
    actions
        .changeVisibility(m.message(), 0)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn(
                    "Could not release message {} on {}; it returns when its visibility ends",
                    m.messageId(),
                    config.queueName(),
                    e);
              }
            });
    return Outcome.RELEASED;
  }

  private void delete(InFlightMessage m) {
    actions
        .delete(m.message())
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                metrics.deleteFailures.increment();
                LOG.warn(
                    "Could not delete handled message {} on {}; SQS will deliver it again",
                    m.messageId(),
                    config.queueName(),
                    e);
              }
            });
  }

  private Outcome deadLetter(InFlightMessage m, FailureKind kind, Throwable error, int attempts) {
    Instant now = clock.instant();
    FailureReason reason =
        new FailureReason(
            kind,
            config.queueUrl(),
            error == null ? null : error.getClass().getName(),
            error == null ? "no attempts left" : String.valueOf(error.getMessage()),
            error == null ? ErrorFingerprint.of(kind.name()) : ErrorFingerprint.of(error),
            attempts,
            firstFailure(m, now, attempts),
            now,
            config.workerId());
    LOG.warn(
        "Dead-lettering message {} from {} ({}, after {} attempts): {}",
        m.messageId(),
        config.queueName(),
        kind,
        attempts,
        reason.errorMessage());
    actions
        .track(deadLetters.publish(m.message(), reason))
        .thenCompose(sent -> actions.delete(m.message()))
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                metrics.deadLettered(kind).increment();
                return;
              }
              LOG.error(
                  "Could not dead-letter message {} from {}; it stays in the queue and is tried"
                      + " again",
                  m.messageId(),
                  config.queueName(),
                  e);
              // Not sent (or not deleted after sending): leave it to come back after a backoff.
              actions.changeVisibility(
                  m.message(), (int) config.backoff().delay(Math.max(1, attempts)).toSeconds());
            });
    return Outcome.DEAD_LETTERED;
  }

  private static Instant firstFailure(InFlightMessage m, Instant now, int attempts) {
    if (attempts <= 1) {
      return now;
    }
    String first =
        m.systemAttribute(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
    return first == null ? now : Instant.ofEpochMilli(Long.parseLong(first));
  }
}
