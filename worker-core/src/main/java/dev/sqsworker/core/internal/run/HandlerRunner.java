package dev.sqsworker.core.internal.run;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.settle.Happened;
import dev.sqsworker.core.internal.support.SqlFailures;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handler on one admitted message: builds its context, opens and commits the handler's
 * transaction in transactional mode (completing the claim inside it), lets cancellation interrupt
 * it, and reports what happened. Never throws for the message's own failure.
 */
public final class HandlerRunner {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerRunner.class);

  private final MessageHandler<Object> handler;
  private final IdempotencyGate gate;
  private final String queueUrl;
  private final int maxAttempts;
  private final Timer duration;
  private final LongSupplier nanos;
  private final BooleanSupplier stopping;
  private final Clock clock;
  private final Duration maxHandlingTime;
  private final HandlerObservations observations;
  private final HandlerObservations.Attempt unobserved = this::runHandler;

  /** Creates the runner of one worker. */
  @SuppressWarnings("unchecked")
  public HandlerRunner(
      MessageHandler<?> handler,
      IdempotencyGate gate,
      String queueUrl,
      int maxAttempts,
      Timer duration,
      LongSupplier nanos,
      BooleanSupplier stopping,
      Clock clock,
      Duration maxHandlingTime,
      HandlerObservations observations) {
    this.observations = observations;
    this.clock = clock;
    this.maxHandlingTime = maxHandlingTime;
    this.handler = (MessageHandler<Object>) handler;
    this.gate = gate;
    this.queueUrl = queueUrl;
    this.maxAttempts = maxAttempts;
    this.duration = duration;
    this.nanos = nanos;
    this.stopping = stopping;
  }

  /** Runs the handler as attempt {@code attempt}, observed when tracing is on. */
  public Happened run(InFlightMessage m, int attempt) {
    return observations.enabled()
        ? observations.observe(m, attempt, unobserved)
        : runHandler(m, attempt);
  }

  private Happened runHandler(InFlightMessage m, int attempt) {
    gate.ran(m);
    // The deadline counts from the handler's start, not from the receive (FIFO waits do not count).
    m.startHandling(
        clock.instant(),
        maxHandlingTime,
        m.receivedAt().plus(WorkerConfig.SQS_MAX_VISIBILITY).minusSeconds(1));
    if (!gate.transactional()) {
      Throwable failure = call(m, attempt, null);
      return failure == null ? new Happened.Succeeded(false) : failed(m, failure, false);
    }
    Connection tx = null;
    try {
      tx = gate.dataSource().getConnection();
      tx.setAutoCommit(false);
    } catch (SQLException e) {
      Transactions.closeQuietly(tx);
      gate.markUnavailable(e);
      return new Happened.StoreUnavailable(e);
    }
    try {
      Throwable failure = call(m, attempt, tx);
      if (failure != null) {
        Transactions.rollbackQuietly(tx);
        return failed(m, failure, true);
      }
      return commit(m, tx);
    } finally {
      Transactions.closeQuietly(tx);
    }
  }

  private Happened commit(InFlightMessage m, Connection tx) {
    try {
      if (!gate.complete(tx, m)) {
        tx.rollback();
        LOG.warn(
            "Lost the idempotency claim of message {} on {} while it ran; rolled its work back",
            m.messageId(),
            queueUrl);
        return new Happened.ClaimLost();
      }
      tx.commit();
      return new Happened.Succeeded(true);
    } catch (SQLException | RuntimeException e) {
      Transactions.rollbackQuietly(tx);
      if (SqlFailures.isUnavailable(e)) {
        gate.markUnavailable(e);
        LOG.warn(
            "Could not commit message {} on {}: the database is unreachable; its work was rolled"
                + " back and it waits for the database without using an attempt",
            m.messageId(),
            queueUrl,
            e);
        return new Happened.StoreUnavailable(e);
      }
      // Caused by the message's own writes (a constraint, a conflict): its outcome, not an outage.
      LOG.warn(
          "Could not commit message {} on {}; its work was rolled back: {}",
          m.messageId(),
          queueUrl,
          e.toString());
      return new Happened.Failed(e, false, true);
    }
  }

  private Happened failed(InFlightMessage m, Throwable failure, boolean inStoreTransaction) {
    if (inStoreTransaction && SqlFailures.isUnavailable(failure)) {
      gate.markUnavailable(failure);
    }
    return new Happened.Failed(
        failure, m.cancelled() && stopping.getAsBoolean(), inStoreTransaction);
  }

  /** Calls the handler; returns its failure, or null. */
  private Throwable call(InFlightMessage m, int attempt, Connection tx) {
    var context =
        new DefaultMessageContext(m, queueUrl, attempt, maxAttempts, m.idempotencyKey(), tx);
    long start = nanos.getAsLong();
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
      duration.record(nanos.getAsLong() - start, TimeUnit.NANOSECONDS);
    }
  }
}
