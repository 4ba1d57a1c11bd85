package dev.sqsworker.core.idempotency;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The claim lifecycle of idempotency keys, on the message path: claim, keep the lease, complete or
 * give up. Every method that takes several keys does so in one round trip, so the worker's cost per
 * message stays a fraction of a statement.
 *
 * <p>Leases are the store's time, not the caller's: a lease lasts {@code leaseUntil - now} (the
 * caller's two times) counted from the store's own clock, and whether it has ended is decided by
 * that clock, so workers whose clocks disagree never take each other's live lease.
 */
public interface IdempotencyClaims {

  /**
   * Claims keys: a key with no record, or with an {@code IN_PROGRESS} record whose lease has ended
   * (by the store's clock) and whose payload hash matches, is claimed (attempts + 1); other keys
   * report why not. Keys must be distinct.
   *
   * @return one result per request, in the same order; a busy key's {@link
   *     ClaimResult#leaseUntil()} is told in the caller's time ({@code now} plus what is left)
   */
  List<ClaimResult> claim(
      String scope,
      List<ClaimRequest> requests,
      String owner,
      Instant now,
      Instant leaseUntil,
      Instant expiresAt);

  /**
   * Marks claims completed (one statement); claims whose token no longer matches (the lease was
   * taken over) are skipped.
   *
   * @return the keys whose claim was lost, so the caller can report them
   */
  Set<String> complete(String scope, Collection<Claim> claims, Instant now, Instant expiresAt);

  /**
   * Gives a claim up so the key can be claimed again at once.
   *
   * @param attempted whether the handler ran; if not, the claim's attempt is not counted
   * @param lastError the failure, or null
   */
  void release(String scope, Claim claim, boolean attempted, String lastError, Instant now);

  /**
   * Extends the leases of claims by {@code leaseUntil - now} from the store's clock (one
   * statement); a record does not expire before {@code leaseUntil}.
   *
   * @return the keys whose claim was lost (their handlers must stop)
   */
  Set<String> extendLeases(String scope, Collection<Claim> claims, Instant now, Instant leaseUntil);
}
