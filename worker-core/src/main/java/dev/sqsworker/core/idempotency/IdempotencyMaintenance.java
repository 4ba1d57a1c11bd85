package dev.sqsworker.core.idempotency;

import java.time.Instant;

/**
 * Keeping the records of idempotency keys tidy, off the claim lifecycle: forgetting a key whose
 * message was dead-lettered, and purging expired records in the background.
 */
public interface IdempotencyMaintenance {

  /** Deletes a claimed record (when its message is dead-lettered, so a replay runs again). */
  void forget(String scope, Claim claim);

  /**
   * Deletes at most {@code limit} records that expired before {@code now}, except records in
   * progress whose lease is still live (by the store's clock); returns how many.
   */
  int purgeExpired(Instant now, int limit);
}
