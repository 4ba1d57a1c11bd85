package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Settlement}: the only class that deletes, changes the visibility of, or
 * dead-letters a message, and the only one that completes, releases or forgets its claim.
 */
public final class Acknowledger {

  private static final Logger LOG = LoggerFactory.getLogger(Acknowledger.class);

  private final SqsActions actions;
  private final DeadLetterPublisher deadLetters;
  private final IdempotencyGate gate;
  private final WorkerMetrics metrics;
  private final SettlementPolicy policy;
  private final String queueName;
  private final ScheduledExecutorService retries;
  private final Clock clock;
  private final BooleanSupplier stopping;
  private final AtomicReference<String> deadLetterFailure = new AtomicReference<>();
  private final Consumer<InFlightMessage> afterDelete;

  /** Messages whose dead-letter send (and the delete after it) has not finished. */
  private final Map<InFlightMessage, Settlement.DeadLetter> deadLettering =
      new ConcurrentHashMap<>();

  /**
   * Creates the acknowledger of one worker.
   *
   * @param retries where a failed completion write is tried again
   */
  public Acknowledger(
      SqsActions actions,
      DeadLetterPublisher deadLetters,
      IdempotencyGate gate,
      WorkerMetrics metrics,
      SettlementPolicy policy,
      String queueName,
      ScheduledExecutorService retries,
      Clock clock,
      BooleanSupplier stopping) {
    this(actions, deadLetters, gate, metrics, policy, queueName, retries, clock, stopping, m -> {});
  }

  /**
   * Creates the acknowledger of one worker.
   *
   * @param retries where a failed completion write is tried again
   * @param afterDelete called once a handled (or duplicate) message is deleted from the queue
   */
  public Acknowledger(
      SqsActions actions,
      DeadLetterPublisher deadLetters,
      IdempotencyGate gate,
      WorkerMetrics metrics,
      SettlementPolicy policy,
      String queueName,
      ScheduledExecutorService retries,
      Clock clock,
      BooleanSupplier stopping,
      Consumer<InFlightMessage> afterDelete) {
    this.afterDelete = afterDelete;
    this.retries = retries;
    this.clock = clock;
    this.stopping = stopping;
    this.actions = actions;
    this.deadLetters = deadLetters;
    this.gate = gate;
    this.metrics = metrics;
    this.policy = policy;
    this.queueName = queueName;
  }

  /**
   * Carries out a settlement; returns the outcome it stands for. The message is {@link
   * InFlightMessage#settled() settled} once the calls it needs have finished.
   */
  public Outcome settle(InFlightMessage m, Settlement settlement) {
    if (settlement instanceof Settlement.Delete delete) {
      deleteAfterCompletion(m, delete);
    } else if (settlement instanceof Settlement.Retry retry) {
      gate.release(m, true, retry.failure());
      LOG.info(
          "Message {} on {} failed on attempt {}; retrying in {} s: {}",
          m.messageId(),
          queueName,
          retry.attempt(),
          retry.seconds(),
          String.valueOf(retry.failure()),
          // The throwable last: the log line carries its stack trace.
          retry.failure());
      metrics.retried.increment();
      changeVisibility(m, retry.seconds(), "set the retry backoff of");
      m.markSettled();
    } else if (settlement instanceof Settlement.Park park) {
      gate.release(m, false, null);
      LOG.info(
          "Message {} on {} parked for {} s: {}",
          m.messageId(),
          queueName,
          park.seconds(),
          park.why());
      metrics.parked.increment();
      changeVisibility(m, park.seconds(), "park");
      m.markSettled();
    } else if (settlement instanceof Settlement.PutBack putBack) {
      gate.release(m, false, null);
      LOG.debug(
          "Message {} on {} put back for {} s: {}",
          m.messageId(),
          queueName,
          putBack.seconds(),
          putBack.why());
      metrics.released.increment();
      changeVisibility(m, putBack.seconds(), "put back");
      m.markSettled();
    } else if (settlement instanceof Settlement.DeadLetter deadLetter) {
      deadLetter(m, deadLetter);
    } else {
      m.markSettled();
      throw new IllegalArgumentException("not a settlement: " + settlement);
    }
    return settlement.outcome();
  }

  private void deleteAfterCompletion(InFlightMessage m, Settlement.Delete delete) {
    if (delete.duplicate()) {
      metrics.duplicates.increment();
      LOG.debug(
          "Message {} repeats completed key '{}'; deleting it", m.messageId(), m.idempotencyKey());
      deleteAndSettle(m, "duplicate");
      return;
    }
    metrics.succeeded.increment();
    if (delete.completed()) {
      deleteAndSettle(m, "succeeded");
      return;
    }
    completeThenDelete(m, 0);
  }

  /**
   * Deletes a handled message only once its completion is durable: a failed write is tried again
   * with a backoff while the message stays in flight (the heartbeat keeps it invisible and its
   * lease alive). Deleting first would let a later duplicate run the handler again.
   */
  private void completeThenDelete(InFlightMessage m, int failures) {
    gate.complete(m)
        .whenComplete(
            (ours, e) -> {
              if (e == null) {
                if (!ours) {
                  metrics.completionsLost.increment();
                  LOG.warn(
                      "Key '{}' of message {} on {} was taken over before its completion was"
                          + " written; another claim completes it",
                      m.idempotencyKey(),
                      m.messageId(),
                      queueName);
                }
                deleteAndSettle(m, "succeeded");
                return;
              }
              metrics.completionFailures.increment();
              if (stopping.getAsBoolean() || !clock.instant().isBefore(m.handlingDeadline())) {
                giveUpCompletion(m, failures + 1, e);
                return;
              }
              long delayMillis = Math.min(5_000, 200L << Math.min(failures, 5));
              LOG.warn(
                  "Could not mark key '{}' of message {} on {} completed; trying again in {} ms"
                      + " (the message is kept, not deleted): {}",
                  m.idempotencyKey(),
                  m.messageId(),
                  queueName,
                  delayMillis,
                  e.toString());
              try {
                retries.schedule(
                    () -> completeThenDelete(m, failures + 1), delayMillis, TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException stopped) {
                giveUpCompletion(m, failures + 1, e);
              }
            });
  }

  private void giveUpCompletion(InFlightMessage m, int tries, Throwable e) {
    LOG.error(
        "Gave up marking key '{}' of message {} on {} completed after {} tries; it is not deleted,"
            + " returns after its visibility timeout and runs again once its lease ends",
        m.idempotencyKey(),
        m.messageId(),
        queueName,
        tries,
        e);
    m.markSettled();
  }

  private void deleteAndSettle(InFlightMessage m, String outcome) {
    delete(m)
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                recordSettled(m, outcome);
                afterDelete.accept(m);
              }
              m.markSettled();
            });
  }

  /** Receipt to settlement, by outcome, for the latency histograms and their SLO. */
  private void recordSettled(InFlightMessage m, String outcome) {
    Duration took = Duration.between(m.receivedAt(), clock.instant());
    metrics.settleTime(outcome).record(took);
    metrics.serviceLevels.settled(outcome, took);
  }

  /** The publisher's send; one that throws at once fails the same way as one that fails later. */
  private CompletableFuture<Void> publish(InFlightMessage m, FailureReason reason) {
    try {
      CompletableFuture<Void> sent = deadLetters.publish(m.message(), reason);
      return sent != null
          ? sent
          : CompletableFuture.failedFuture(
              new IllegalStateException("the dead-letter publisher returned no future"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Why the last dead-letter send failed, or null once one succeeded again (for health). */
  public String deadLetterFailure() {
    return deadLetterFailure.get();
  }

  private void changeVisibility(InFlightMessage m, int seconds, String what) {
    m.handOff();
    actions
        .changeVisibility(m.message(), seconds)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn(
                    "Could not {} message {} on {}; it returns when its visibility ends",
                    what,
                    m.messageId(),
                    queueName,
                    e);
              }
            });
  }

  private CompletableFuture<Void> delete(InFlightMessage m) {
    CompletableFuture<Void> deleted = actions.delete(m.message());
    deleted.whenComplete(
        (ok, e) -> {
          if (e != null) {
            metrics.deleteFailures.increment();
            LOG.warn(
                "Could not delete handled message {} on {}; SQS will deliver it again",
                m.messageId(),
                queueName,
                e);
          }
        });
    return deleted;
  }

  private void deadLetter(InFlightMessage m, Settlement.DeadLetter deadLetter) {
    FailureReason reason = deadLetter.reason();
    LOG.warn(
        "Dead-lettering message {} from {} ({}, after {} attempts): {}",
        m.messageId(),
        queueName,
        reason.kind(),
        reason.attempts(),
        reason.errorMessage(),
        deadLetter.error());
    deadLettering.put(m, deadLetter);
    actions
        .track(publish(m, reason))
        .thenCompose(sent -> actions.delete(m.message()))
        .whenComplete(
            (ok, e) -> {
              if (deadLettering.remove(m) == null) {
                // Put back at shutdown already.
                return;
              }
              if (e == null) {
                metrics.deadLettered(reason.kind()).increment();
                recordSettled(m, "dead_lettered");
                // Released so that a replay from the DLQ runs again.
                gate.forget(m);
                deadLetterFailure.set(null);
                m.markSettled();
                return;
              }
              metrics.deadLetterFailures.increment();
              deadLetterFailure.set(
                  "could not dead-letter message " + m.messageId() + ": " + e.getMessage());
              LOG.error(
                  "Could not dead-letter message {} from {}; it stays in the queue and is tried"
                      + " again",
                  m.messageId(),
                  queueName,
                  e);
              // A handler run on this delivery still counts, so the handler never runs past
              // maxAttempts; a delivery that was only to be dead-lettered uses none.
              gate.release(m, deadLetter.ranNow(), e);
              // Not sent (or not deleted after sending): leave it to come back after a backoff.
              changeVisibility(
                  m,
                  policy.undeliveredBackoffSeconds(reason.attempts()),
                  "set the backoff of undelivered dead letter");
              m.markSettled();
            });
  }

  /**
   * At shutdown, once the pending actions had their time: puts back every message whose dead-letter
   * send has not finished, with visibility 0 and its claim given back, so it returns at once
   * instead of staying invisible for the rest of its timeout. (A send that still lands later leaves
   * a copy in the DLQ and the message in the queue: a repeat, never a loss.)
   *
   * @return how many were put back
   */
  public int putBackUnsentDeadLetters(Duration wait) {
    List<CompletableFuture<Void>> changes = new ArrayList<>();
    for (InFlightMessage m : List.copyOf(deadLettering.keySet())) {
      Settlement.DeadLetter deadLetter = deadLettering.remove(m);
      if (deadLetter == null) {
        continue;
      }
      LOG.warn(
          "The dead-letter send of message {} from {} did not finish before shutdown; putting it"
              + " back",
          m.messageId(),
          queueName);
      gate.release(m, deadLetter.ranNow(), null);
      metrics.released.increment();
      m.handOff();
      changes.add(actions.changeVisibility(m.message(), 0));
      m.markSettled();
    }
    try {
      CompletableFuture.allOf(changes.toArray(new CompletableFuture<?>[0]))
          .get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "Could not put back every unsent dead letter on {}; they return when their visibility"
              + " ends",
          queueName,
          e);
    }
    return changes.size();
  }
}
