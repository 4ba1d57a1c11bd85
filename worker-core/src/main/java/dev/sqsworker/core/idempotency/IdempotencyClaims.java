package dev.sqsworker.core.idempotency;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The claim lifecycle of idempotency keys, on the message path: claim, keep the lease, complete or
 * give up. Every method that takes several keys does so in one round trip, so the worker's cost per
 * message stays a fraction of a statement.
 */
public interface IdempotencyClaims {

  /**
   * Claims keys: a key with no record, or with an {@code IN_PROGRESS} record whose lease ended
   * before {@code now} and whose payload hash matches, is claimed (attempts + 1); other keys report
   * why not. Keys must be distinct.
   *
   * @return one result per request, in the same order
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
   * Extends the leases of claims (one statement); a record does not expire before its lease ends.
   *
   * @return the keys whose claim was lost (their handlers must stop)
   */
  Set<String> extendLeases(String scope, Collection<Claim> claims, Instant leaseUntil);
}
