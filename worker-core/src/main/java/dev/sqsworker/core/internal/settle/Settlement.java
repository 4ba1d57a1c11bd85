package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.internal.message.Outcome;

/**
 * What becomes of a message: the output of {@link SettlementPolicy#decide}, carried out by the
 * {@link Acknowledger}. {@link Run} is the one decision that is not an end: run the handler, then
 * decide again.
 */
public sealed interface Settlement {

  /** The outcome this settlement is reported as. */
  Outcome outcome();

  /** Run the handler as attempt {@code attempt}. */
  record Run(int attempt) implements Settlement {
    @Override
    public Outcome outcome() {
      throw new IllegalStateException("a run is not an outcome");
    }
  }

  /**
   * Delete it.
   *
   * @param duplicate its key was completed before (the handler did not run now)
   * @param completed its claim is completed already; otherwise complete it first
   */
  record Delete(boolean duplicate, boolean completed) implements Settlement {
    @Override
    public Outcome outcome() {
      return duplicate ? Outcome.DUPLICATE : Outcome.SUCCEEDED;
    }
  }

  /** The attempt failed and counts: release the claim as attempted, back off. */
  record Retry(int seconds, int attempt, Throwable failure) implements Settlement {
    @Override
    public Outcome outcome() {
      return Outcome.RETRIED;
    }
  }

  /**
   * A downstream refused the call (breaker open, shared rate limit used up): wait, without counting
   * the attempt.
   */
  record Park(int seconds, String downstream, String why) implements Settlement {
    @Override
    public Outcome outcome() {
      return Outcome.PARKED;
    }
  }

  /**
   * Put it back without counting an attempt, visible again after {@code seconds} (0: at once).
   *
   * @param why for the log
   */
  record PutBack(int seconds, String why) implements Settlement {
    @Override
    public Outcome outcome() {
      return Outcome.RELEASED;
    }
  }

  /**
   * Send it to the dead-letter queue with this reason, then delete it and forget its key.
   *
   * @param reason the failure reason it carries
   * @param ranNow whether the handler ran on this delivery: if the send fails, that attempt still
   *     counts, so the handler never runs past {@code maxAttempts}
   * @param error the error behind it, for the log line (null without one)
   */
  record DeadLetter(FailureReason reason, boolean ranNow, Throwable error) implements Settlement {
    /** Without an error to log. */
    public DeadLetter(FailureReason reason, boolean ranNow) {
      this(reason, ranNow, null);
    }

    /** The same, after a handler run. */
    public DeadLetter afterRun() {
      return new DeadLetter(reason, true, error);
    }

    @Override
    public Outcome outcome() {
      return Outcome.DEAD_LETTERED;
    }
  }
}
