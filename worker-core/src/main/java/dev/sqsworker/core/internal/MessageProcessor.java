package dev.sqsworker.core.internal;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.resilience.DownstreamUnavailableException;
import dev.sqsworker.core.resilience.HttpStatusException;
import dev.sqsworker.core.resilience.internal.Causes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Takes messages from receipt to their end: decodes a received batch and claims its idempotency
 * keys in one statement, then for each message checks its attempts, runs the handler and acts on
 * the result (delete, retry with backoff, or dead-letter with the reason).
 */
public final class MessageProcessor {

  /** MDC key of the message id while a handler runs. */
  public static final String MDC_MESSAGE_ID = "sqsworker.messageId";

  /** MDC key of the queue name while a handler runs. */
  public static final String MDC_QUEUE = "sqsworker.queue";

  /** MDC key of the attempt number while a handler runs. */
  public static final String MDC_ATTEMPT = "sqsworker.attempt";

  /** MDC key of the trace header (X-Ray or W3C traceparent) while a handler runs, if any. */
  public static final String MDC_TRACE = "sqsworker.trace";

  private static final Logger LOG = LoggerFactory.getLogger(MessageProcessor.class);

  /** How long a message waits when the idempotency store is down. */
  private static final int STORE_DOWN_DELAY_SECONDS = 5;

  private final WorkerConfig config;
  private final PayloadDecoder.Bound decoder;
  private final MessageHandler<Object> handler;
  private final SqsActions actions;
  private final DeadLetterPublisher deadLetters;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final IdempotencyGate gate;

  /** Creates the processor of one worker; {@code gate} is null without idempotency. */
  @SuppressWarnings("unchecked")
  public MessageProcessor(
      WorkerConfig config,
      PayloadDecoder.Bound decoder,
      MessageHandler<?> handler,
      SqsActions actions,
      DeadLetterPublisher deadLetters,
      WorkerMetrics metrics,
      Clock clock,
      BooleanSupplier stopping,
      IdempotencyGate gate) {
    this.config = config;
    this.decoder = decoder;
    this.handler = (MessageHandler<Object>) handler;
    this.actions = actions;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.clock = clock;
    this.stopping = stopping;
    this.gate = gate;
  }

  /**
   * Decodes a received batch and, with idempotency, claims its keys in one statement. If the store
   * fails, the messages stay unclaimed and {@link #process} puts them back without running.
   */
  public void prepare(List<InFlightMessage> batch) {
    for (InFlightMessage m : batch) {
      try {
        m.decoded(decoder.decode(m.message().body()));
      } catch (PayloadDecodingException e) {
        m.undecodable(e);
      }
    }
    if (gate == null) {
      return;
    }
    try {
      gate.admit(batch);
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not claim idempotency keys for {} messages on {}; they wait for the store",
          batch.size(),
          config.queueName(),
          e);
    } catch (Error e) {
      throw e;
    }
  }

  /** Processes one prepared message to its outcome. Never throws for a message's own failure. */
  public Outcome process(InFlightMessage m) {
    MDC.put(MDC_MESSAGE_ID, m.messageId());
    MDC.put(MDC_QUEUE, config.queueName());
    String trace = DefaultMessageContext.traceHeaderOf(m);
    if (trace != null) {
      MDC.put(MDC_TRACE, trace);
    }
    try {
      if (stopping.getAsBoolean()) {
        return release(m);
      }
      if (m.decodeFailure() != null) {
        metrics.failed.increment();
        MDC.put(MDC_ATTEMPT, Integer.toString(m.receiveCount()));
        return deadLetter(m, FailureKind.DECODE, m.decodeFailure(), m.receiveCount());
      }
      int attempt;
      if (gate == null) {
        attempt = m.receiveCount();
      } else {
        ClaimResult claim = m.claim();
        if (claim == null) {
          return putBack(m, STORE_DOWN_DELAY_SECONDS);
        }
        switch (claim.status()) {
          case COMPLETED:
            metrics.duplicates.increment();
            LOG.debug(
                "Message {} repeats completed key '{}'; deleting it", m.messageId(), claim.key());
            delete(m);
            return Outcome.DUPLICATE;
          case BUSY:
            return putBack(m, gate.busyDelaySeconds(claim.leaseUntil()));
          case KEY_REUSED:
            return deadLetter(
                m,
                FailureKind.IDEMPOTENCY_KEY_REUSED,
                new NonRetryableException(
                    "idempotency key '"
                        + claim.key()
                        + "' was used before with a different payload"),
                m.receiveCount());
          default:
            attempt = claim.claim().attempts();
        }
      }
      MDC.put(MDC_ATTEMPT, Integer.toString(attempt));
      if (attempt > config.maxAttempts()) {
        // A previous attempt failed to dead-letter it, or it came back after a crash.
        return deadLetter(m, FailureKind.EXHAUSTED, null, attempt - 1);
      }
      return handle(m, attempt);
    } finally {
      MDC.remove(MDC_MESSAGE_ID);
      MDC.remove(MDC_QUEUE);
      MDC.remove(MDC_ATTEMPT);
      MDC.remove(MDC_TRACE);
    }
  }

  private Outcome handle(InFlightMessage m, int attempt) {
    boolean transactional = gate != null && gate.transactional();
    Connection tx = null;
    if (transactional) {
      try {
        tx = gate.dataSource().getConnection();
        tx.setAutoCommit(false);
      } catch (SQLException e) {
        closeQuietly(tx);
        gate.markUnavailable(e);
        gate.release(m.wonClaim(), false, null);
        return putBack(m, STORE_DOWN_DELAY_SECONDS);
      }
    }
    try {
      var context =
          new DefaultMessageContext(
              m, config.queueUrl(), attempt, config.maxAttempts(), m.idempotencyKey(), tx);
      Throwable failure = run(m, context);
      if (failure == null) {
        return transactional ? commit(m, tx) : succeed(m);
      }
      rollbackQuietly(tx);
      return fail(m, attempt, failure);
    } finally {
      closeQuietly(tx);
    }
  }

  /** Runs the handler; returns its failure, or null. */
  private Throwable run(InFlightMessage m, DefaultMessageContext context) {
    long start = System.nanoTime();
    m.attach(Thread.currentThread());
    try {
      handler.handle(m.payload(), context);
      return null;
    } catch (Exception e) {
      return e;
    } finally {
      m.detach();
      // A cancellation may have interrupted this pool thread; do not leak that to the next task.
      Thread.interrupted();
      metrics.handlerDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private Outcome succeed(InFlightMessage m) {
    metrics.succeeded.increment();
    Claim claim = m.wonClaim();
    if (claim == null) {
      delete(m);
      return Outcome.SUCCEEDED;
    }
    gate.complete(claim)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                // The work is done; deleting is right even if the mark did not stick. A repeat
                // delivery would find the key in progress and wait out its lease.
                LOG.warn(
                    "Could not mark key '{}' completed; deleting message {} anyway",
                    claim.key(),
                    m.messageId(),
                    e);
              }
              delete(m);
            });
    return Outcome.SUCCEEDED;
  }

  private Outcome commit(InFlightMessage m, Connection tx) {
    try {
      if (!gate.complete(tx, m.wonClaim())) {
        tx.rollback();
        LOG.warn(
            "Lost the idempotency claim of message {} on {} while it ran; rolled its work back",
            m.messageId(),
            config.queueName());
        return release(m);
      }
      tx.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(tx);
      gate.markUnavailable(e);
      LOG.warn(
          "Could not commit message {} on {}; its work was rolled back and it is tried again",
          m.messageId(),
          config.queueName(),
          e);
      gate.release(m.wonClaim(), false, e);
      return putBack(m, STORE_DOWN_DELAY_SECONDS);
    }
    metrics.succeeded.increment();
    delete(m);
    return Outcome.SUCCEEDED;
  }

  private Outcome fail(InFlightMessage m, int attempt, Throwable failure) {
    DownstreamUnavailableException unavailable =
        Causes.find(failure, DownstreamUnavailableException.class);
    if (unavailable != null) {
      // The downstream is known to be down: not the message's fault, so no attempt is used.
      return park(m, unavailable);
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
    Claim claim = m.wonClaim();
    if (claim != null) {
      gate.release(claim, true, failure);
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
    HttpStatusException http = Causes.find(failure, HttpStatusException.class);
    if (http != null && http.retryAfter().isPresent()) {
      // The server said when to come back: not sooner than that.
      Duration retryAfter = http.retryAfter().get();
      delay = retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
    int seconds = visibilitySeconds(m, delay);
    LOG.info(
        "Message {} on {} failed on attempt {}/{}; retrying in {} s: {}",
        m.messageId(),
        config.queueName(),
        attempt,
        config.maxAttempts(),
        seconds,
        failure.toString());
    metrics.retried.increment();
    changeVisibility(m, seconds, "set the retry backoff of");
    return Outcome.RETRIED;
  }

  /**
   * Leaves a message invisible while the downstream's breaker stays open (at least 1 s), gives its
   * claim back without counting the attempt and never dead-letters it for this. Without idempotency
   * SQS's receive count still grows.
   */
  private Outcome park(InFlightMessage m, DownstreamUnavailableException unavailable) {
    Claim claim = m.wonClaim();
    if (claim != null) {
      gate.release(claim, false, null);
    }
    Duration wait = unavailable.retryIn();
    int seconds = Math.max(1, visibilitySeconds(m, wait));
    LOG.info(
        "Message {} on {} parked for {} s: circuit breaker of '{}' is open",
        m.messageId(),
        config.queueName(),
        seconds,
        unavailable.downstream());
    metrics.parked.increment();
    changeVisibility(m, seconds, "park");
    return Outcome.PARKED;
  }

  /** A delay in whole seconds, rounded up, within what SQS allows for this message. */
  private int visibilitySeconds(InFlightMessage m, Duration delay) {
    // SQS keeps a message invisible at most 12 h after it was received.
    Duration left =
        WorkerConfig.SQS_MAX_VISIBILITY
            .minus(Duration.between(m.receivedAt(), clock.instant()))
            .minusSeconds(1);
    if (delay.compareTo(left) > 0) {
      delay = left.isNegative() ? Duration.ZERO : left;
    }
    return (int) ((delay.toMillis() + 999) / 1000);
  }

  /**
   * Puts a message back at once without handling it: its claim, if any, is released without
   * counting an attempt.
   */
  public Outcome release(InFlightMessage m) {
    Claim claim = m.wonClaim();
    if (claim != null) {
      gate.release(claim, false, null);
    }
    metrics.released.increment();
    changeVisibility(m, 0, "release");
    return Outcome.RELEASED;
  }

  /** Leaves a message invisible for a while without running it or counting an attempt. */
  private Outcome putBack(InFlightMessage m, int seconds) {
    metrics.released.increment();
    changeVisibility(m, seconds, "put back");
    return Outcome.RELEASED;
  }

  private void changeVisibility(InFlightMessage m, int seconds, String what) {
    actions
        .changeVisibility(m.message(), seconds)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn(
                    "Could not {} message {} on {}; it returns when its visibility ends",
                    what,
                    m.messageId(),
                    config.queueName(),
                    e);
              }
            });
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
    Claim claim = m.wonClaim();
    actions
        .track(deadLetters.publish(m.message(), reason))
        .thenCompose(sent -> actions.delete(m.message()))
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                metrics.deadLettered(kind).increment();
                if (claim != null) {
                  // Released so that a replay from the DLQ runs again.
                  gate.forget(claim);
                }
                return;
              }
              LOG.error(
                  "Could not dead-letter message {} from {}; it stays in the queue and is tried"
                      + " again",
                  m.messageId(),
                  config.queueName(),
                  e);
              if (claim != null) {
                gate.release(claim, false, e);
              }
              // Not sent (or not deleted after sending): leave it to come back after a backoff.
              changeVisibility(
                  m,
                  (int) config.backoff().delay(Math.max(1, attempts)).toSeconds(),
                  "set the backoff of undelivered dead letter");
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

  private static void rollbackQuietly(Connection tx) {
    if (tx == null) {
      return;
    }
    try {
      tx.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback failed", e);
    }
  }

  private static void closeQuietly(Connection tx) {
    if (tx == null) {
      return;
    }
    try {
      tx.close();
    } catch (SQLException e) {
      LOG.debug("Closing the transaction's connection failed", e);
    }
  }
}
