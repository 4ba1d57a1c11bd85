package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.idempotency.ClaimResult;
import java.time.Instant;

/**
 * Where a message's idempotency claim stands after admission: an input of the settlement decision.
 *
 * @param kind the state
 * @param key the key, when there is one
 * @param leaseUntil when another holder's lease ends, when {@link Kind#BUSY}
 * @param attempts the attempt a won claim runs as (counted by the store), else 0
 */
public record ClaimState(Kind kind, String key, Instant leaseUntil, int attempts) {

  /** The states of a claim. */
  public enum Kind {
    /** The worker has no idempotency. */
    NONE,
    /** Claiming failed (store down): the message must not run. */
    UNCLAIMED,
    /** The claim is ours. */
    WON,
    /** The key's work is done already. */
    COMPLETED,
    /** Another claim holds a live lease. */
    BUSY,
    /** The key was used before with another payload. */
    KEY_REUSED
  }

  /** No idempotency. */
  public static ClaimState none() {
    return new ClaimState(Kind.NONE, null, null, 0);
  }

  /**
   * No idempotency, and the handler ran {@code runs} times on this message before (as far as this
   * worker remembers).
   */
  public static ClaimState afterRuns(int runs) {
    return new ClaimState(Kind.NONE, null, null, runs + 1);
  }

  /**
   * The attempt a message runs as: the store's count for a won claim, the remembered runs plus one
   * without idempotency, else SQS's receive count.
   */
  public int attemptOr(int receiveCount) {
    if (kind == Kind.WON || (kind == Kind.NONE && attempts > 0)) {
      return attempts;
    }
    return receiveCount;
  }

  /** The state a claim result (null: not claimed) stands for. */
  public static ClaimState of(ClaimResult result) {
    if (result == null) {
      return new ClaimState(Kind.UNCLAIMED, null, null, 0);
    }
    Kind kind =
        switch (result.status()) {
          case CLAIMED -> Kind.WON;
          case COMPLETED -> Kind.COMPLETED;
          case BUSY -> Kind.BUSY;
          case KEY_REUSED -> Kind.KEY_REUSED;
        };
    return new ClaimState(
        kind,
        result.key(),
        result.leaseUntil(),
        result.claim() == null ? 0 : result.claim().attempts());
  }
}
