package dev.sqsworker.core.idempotency;

import java.time.Instant;

/**
 * What a claim found.
 *
 * @param key the key
 * @param status the outcome
 * @param claim the won claim when {@link Status#CLAIMED}, else null
 * @param leaseUntil when the other holder's lease ends, when {@link Status#BUSY}
 */
public record ClaimResult(String key, Status status, Claim claim, Instant leaseUntil) {

  /** The outcomes of a claim. */
  public enum Status {
    /** The key is ours: run the handler. */
    CLAIMED,
    /** The key's work is done: skip the handler, delete the message. */
    COMPLETED,
    /** Another claim holds a live lease: do not run; look again after {@code leaseUntil}. */
    BUSY,
    /** The key was used before with a different payload: dead-letter the message. */
    KEY_REUSED
  }

  /** A won claim. */
  public static ClaimResult claimed(Claim claim) {
    return new ClaimResult(claim.key(), Status.CLAIMED, claim, null);
  }
}
