package dev.sqsworker.core.internal.run;

import dev.sqsworker.core.BatchItem;
import dev.sqsworker.core.BatchMessageHandler;
import dev.sqsworker.core.BatchResult;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.settle.Happened;
import dev.sqsworker.core.internal.support.SqlFailures;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BatchMessageHandler} on the admitted messages of one receive (of one group on a
 * FIFO queue), beside {@link HandlerRunner}: builds each message's context, starts each one's
 * handling clock, opens and commits the batch's one transaction in transactional mode (completing
 * the successful messages' claims inside it), and reports what happened to each message. Never
 * throws for the messages' own failures.
 */
public final class BatchRunner {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

  /** One message to run, with the attempt it runs as. */
  public record Planned(InFlightMessage message, int attempt) {}

  private record Call(BatchResult result, Throwable thrown) {}

  private final BatchMessageHandler<Object> handler;
  private final IdempotencyGate gate;
  private final String queueUrl;
  private final int maxAttempts;
  private final Timer duration;
  private final DistributionSummary batchSize;
  private final LongSupplier nanos;
  private final BooleanSupplier stopping;
  private final Clock clock;
  private final Duration maxHandlingTime;

  /** Creates the batch runner of one worker. */
  @SuppressWarnings("unchecked")
  public BatchRunner(
      BatchMessageHandler<?> handler,
      IdempotencyGate gate,
      String queueUrl,
      int maxAttempts,
      Timer duration,
      DistributionSummary batchSize,
      LongSupplier nanos,
      BooleanSupplier stopping,
      Clock clock,
      Duration maxHandlingTime) {
    this.handler = (BatchMessageHandler<Object>) handler;
    this.gate = gate;
    this.queueUrl = queueUrl;
    this.maxAttempts = maxAttempts;
    this.duration = duration;
    this.batchSize = batchSize;
    this.nanos = nanos;
    this.stopping = stopping;
    this.clock = clock;
    this.maxHandlingTime = maxHandlingTime;
  }

  /** Runs the handler once on these messages; returns what happened to each, in their order. */
  public List<Happened> run(List<Planned> batch) {
    Instant now = clock.instant();
    for (Planned p : batch) {
      InFlightMessage m = p.message();
      gate.ran(m);
      // Each message's deadline counts from the call's start, never past SQS's limit for it.
      m.startHandling(
          now,
          maxHandlingTime,
          m.receivedAt().plus(WorkerConfig.SQS_MAX_VISIBILITY).minusSeconds(1));
    }
    batchSize.record(batch.size());
    if (!gate.transactional()) {
      BatchVerdicts verdicts = verdicts(batch, call(batch, null));
      return happened(batch, verdicts, false, false);
    }
    Connection tx = null;
    try {
      tx = gate.dataSource().getConnection();
      tx.setAutoCommit(false);
    } catch (SQLException e) {
      Transactions.closeQuietly(tx);
      gate.markUnavailable(e);
      return storeUnavailable(batch, e);
    }
    try {
      BatchVerdicts verdicts = verdicts(batch, call(batch, tx));
      if (verdicts.wholeCall()) {
        Transactions.rollbackQuietly(tx);
        return happened(batch, verdicts, false, true);
      }
      return commit(batch, verdicts, tx);
    } finally {
      Transactions.closeQuietly(tx);
    }
  }

  private static BatchVerdicts verdicts(List<Planned> batch, Call call) {
    List<String> ids = new ArrayList<>(batch.size());
    for (Planned p : batch) {
      ids.add(p.message().messageId());
    }
    return BatchVerdicts.of(ids, call.result(), call.thrown());
  }

  /** Completes the successful messages' claims in the transaction, then commits it. */
  private List<Happened> commit(List<Planned> batch, BatchVerdicts verdicts, Connection tx) {
    try {
      List<Integer> lost = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        if (verdicts.succeeded(i) && !gate.complete(tx, batch.get(i).message())) {
          lost.add(i);
        }
      }
      if (!lost.isEmpty()) {
        tx.rollback();
        LOG.warn(
            "Lost the idempotency claims of {} of {} messages of a batch on {} while it ran; rolled"
                + " the batch's work back",
            lost.size(),
            batch.size(),
            queueUrl);
        List<Happened> happened = happened(batch, verdicts, true, true);
        for (int i = 0; i < batch.size(); i++) {
          if (lost.contains(i)) {
            happened.set(i, new Happened.ClaimLost());
          } else if (verdicts.succeeded(i)) {
            happened.set(
                i,
                new Happened.RolledBack(
                    "another message of its batch lost its idempotency claim; the batch's work was"
                        + " rolled back"));
          }
        }
        return happened;
      }
      tx.commit();
      return happened(batch, verdicts, true, true);
    } catch (SQLException | RuntimeException e) {
      Transactions.rollbackQuietly(tx);
      if (SqlFailures.isUnavailable(e)) {
        gate.markUnavailable(e);
        LOG.warn(
            "Could not commit a batch of {} messages on {}: the database is unreachable; its work"
                + " was rolled back and its messages wait for the database without using an"
                + " attempt",
            batch.size(),
            queueUrl,
            e);
        return storeUnavailable(batch, e);
      }
      // Caused by the batch's own writes (a constraint, a conflict): its outcome, not an outage.
      LOG.warn(
          "Could not commit a batch of {} messages on {}; its work was rolled back: {}",
          batch.size(),
          queueUrl,
          e.toString());
      List<Happened> happened = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Throwable own = verdicts.errors().get(i);
        happened.add(new Happened.Failed(own != null ? own : e, false, true));
      }
      return happened;
    }
  }

  private List<Happened> happened(
      List<Planned> batch, BatchVerdicts verdicts, boolean completed, boolean inTransaction) {
    List<Happened> happened = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Throwable error = verdicts.errors().get(i);
      InFlightMessage m = batch.get(i).message();
      if (error == null) {
        happened.add(new Happened.Succeeded(completed));
        continue;
      }
      if (inTransaction && SqlFailures.isUnavailable(error)) {
        gate.markUnavailable(error);
      }
      happened.add(
          new Happened.Failed(error, m.cancelled() && stopping.getAsBoolean(), inTransaction));
    }
    return happened;
  }

  private static List<Happened> storeUnavailable(List<Planned> batch, Throwable error) {
    List<Happened> happened = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      happened.add(new Happened.StoreUnavailable(error));
    }
    return happened;
  }

  /** Calls the handler once on the whole batch. */
  private Call call(List<Planned> batch, Connection tx) {
    List<BatchItem<Object>> items = new ArrayList<>(batch.size());
    for (Planned p : batch) {
      InFlightMessage m = p.message();
      items.add(
          new BatchItem<>(
              m.payload(),
              new DefaultMessageContext(
                  m, queueUrl, p.attempt(), maxAttempts, m.idempotencyKey(), tx)));
    }
    long start = nanos.getAsLong();
    // Cancelling any message of the batch (its deadline, a lost lease, shutdown) interrupts the
    // call.
    Thread thread = Thread.currentThread();
    batch.forEach(p -> p.message().attach(thread));
    try {
      return new Call(handler.handle(List.copyOf(items)), null);
    } catch (Exception e) {
      return new Call(null, e);
    } finally {
      batch.forEach(p -> p.message().detach());
      // A cancellation may have interrupted this pool thread; do not leak that to the next task.
      Thread.interrupted();
      duration.record(nanos.getAsLong() - start, TimeUnit.NANOSECONDS);
    }
  }
}
