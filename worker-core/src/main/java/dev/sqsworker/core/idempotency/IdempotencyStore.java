package dev.sqsworker.core.idempotency;

import dev.sqsworker.core.idempotency.internal.PostgresIdempotencyStore;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Where idempotency records live. Every method that takes several keys does so in one round trip,
 * so the worker's cost per message stays a fraction of a statement. Times are given by the caller
 * (the worker's clock), so leases and expiry are tested without waiting.
 *
 * <p>Implementations must pass {@code IdempotencyStoreContract} in the test sources.
 */
public interface IdempotencyStore {

  /** The PostgreSQL store; create its table first with {@link IdempotencySchema#migrate}. */
  static IdempotencyStore postgres(DataSource dataSource) {
    return new PostgresIdempotencyStore(dataSource);
  }

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
   * Marks a claim completed inside the caller's transaction.
   *
   * @return false if the claim was lost (its token no longer matches): roll back
   */
  boolean complete(
      Connection transaction, String scope, Claim claim, Instant now, Instant expiresAt);

  /**
   * Gives a claim up so the key can be claimed again at once.
   *
   * @param attempted whether the handler ran; if not, the claim's attempt is not counted
   * @param lastError the failure, or null
   */
  void release(String scope, Claim claim, boolean attempted, String lastError, Instant now);

  /** Deletes a claimed record (when its message is dead-lettered, so a replay runs again). */
  void forget(String scope, Claim claim);

  /**
   * Extends the leases of claims (one statement); a record does not expire before its lease ends.
   *
   * @return the keys whose claim was lost (their handlers must stop)
   */
  Set<String> extendLeases(String scope, Collection<Claim> claims, Instant leaseUntil);

  /**
   * Deletes at most {@code limit} records that expired before {@code now}, except records in
   * progress whose lease is still live; returns how many.
   */
  int purgeExpired(Instant now, int limit);

  /** Whether the store answers now (a cheap round trip). */
  boolean isAvailable();
}
