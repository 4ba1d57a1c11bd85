package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.util.concurrent.CompletableFuture;
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

  /** Creates the acknowledger of one worker. */
  public Acknowledger(
      SqsActions actions,
      DeadLetterPublisher deadLetters,
      IdempotencyGate gate,
      WorkerMetrics metrics,
      SettlementPolicy policy,
      String queueName) {
    this.actions = actions;
    this.deadLetters = deadLetters;
    this.gate = gate;
    this.metrics = metrics;
    this.policy = policy;
    this.queueName = queueName;
  }

  /** Carries out a settlement; returns the outcome it stands for. */
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
          retry.failure().toString());
      metrics.retried.increment();
      changeVisibility(m, retry.seconds(), "set the retry backoff of");
    } else if (settlement instanceof Settlement.Park park) {
      gate.release(m, false, null);
      LOG.info(
          "Message {} on {} parked for {} s: circuit breaker of '{}' is open",
          m.messageId(),
          queueName,
          park.seconds(),
          park.downstream());
      metrics.parked.increment();
      changeVisibility(m, park.seconds(), "park");
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
    } else if (settlement instanceof Settlement.DeadLetter deadLetter) {
      deadLetter(m, deadLetter.reason());
    } else {
      throw new IllegalArgumentException("not a settlement: " + settlement);
    }
    return settlement.outcome();
  }

  private void deleteAfterCompletion(InFlightMessage m, Settlement.Delete delete) {
    if (delete.duplicate()) {
      metrics.duplicates.increment();
      LOG.debug(
          "Message {} repeats completed key '{}'; deleting it", m.messageId(), m.idempotencyKey());
      delete(m);
      return;
    }
    metrics.succeeded.increment();
    if (delete.completed()) {
      delete(m);
      return;
    }
    gate.complete(m)
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                // The work is done; deleting is right even if the mark did not stick. A repeat
                // delivery would find the key in progress and wait out its lease.
                LOG.warn(
                    "Could not mark key '{}' completed; deleting message {} anyway",
                    m.idempotencyKey(),
                    m.messageId(),
                    e);
              }
              delete(m);
            });
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

  private void deadLetter(InFlightMessage m, FailureReason reason) {
    LOG.warn(
        "Dead-lettering message {} from {} ({}, after {} attempts): {}",
        m.messageId(),
        queueName,
        reason.kind(),
        reason.attempts(),
        reason.errorMessage());
    actions
        .track(deadLetters.publish(m.message(), reason))
        .thenCompose(sent -> actions.delete(m.message()))
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                metrics.deadLettered(reason.kind()).increment();
                // Released so that a replay from the DLQ runs again.
                gate.forget(m);
                return;
              }
              LOG.error(
                  "Could not dead-letter message {} from {}; it stays in the queue and is tried"
                      + " again",
                  m.messageId(),
                  queueName,
                  e);
              gate.release(m, false, e);
              // Not sent (or not deleted after sending): leave it to come back after a backoff.
              changeVisibility(
                  m,
                  policy.undeliveredBackoffSeconds(reason.attempts()),
                  "set the backoff of undelivered dead letter");
            });
  }
}
