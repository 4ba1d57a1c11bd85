package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyStore} must do: its claims ({@link IdempotencyClaims}), its upkeep
 * ({@link IdempotencyMaintenance}) and its health probe. A store's test extends this and supplies
 * the store; a {@link TransactionalIdempotencyStore}'s test extends {@link
 * TransactionalIdempotencyStoreContract} instead.
 */
public abstract class IdempotencyStoreContract {

  private static final AtomicInteger SCOPES = new AtomicInteger();
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Instant EXPIRES = T0.plus(Duration.ofDays(7));

  /** The store under test. */
  protected abstract IdempotencyStore store();

  protected final String scope = "scope-" + SCOPES.incrementAndGet() + "-" + UUID.randomUUID();

  private static ClaimRequest request(String key, String hash) {
    return new ClaimRequest(key, hash, UUID.randomUUID().toString());
  }

  protected ClaimResult claimOne(String key, String hash, Instant now) {
    return store()
        .claim(scope, List.of(request(key, hash)), "owner-a", now, now.plus(LEASE), EXPIRES)
        .get(0);
  }

  /**
   * A claim whose lease has already ended (a lease of zero): leases are measured by the store's
   * clock, so a test cannot move past a lease's end by moving its own clock.
   */
  protected ClaimResult claimExpired(String key, String hash, Instant now) {
    return store().claim(scope, List.of(request(key, hash)), "owner-a", now, now, EXPIRES).get(0);
  }

  @Test
  void aNewKeyIsClaimedWithItsFirstAttempt() {
    ClaimResult result = claimOne("k1", "h1", T0);
    assertThat(result.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(result.claim().attempts()).isEqualTo(1);
  }

  @Test
  void oneStatementClaimsABatchAndKeepsItsOrder() {
    List<ClaimResult> results =
        store()
            .claim(
                scope,
                List.of(request("b1", "h"), request("b2", "h"), request("b3", "h")),
                "owner-a",
                T0,
                T0.plus(LEASE),
                EXPIRES);
    assertThat(results).extracting(ClaimResult::key).containsExactly("b1", "b2", "b3");
    assertThat(results)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(ClaimResult.Status.CLAIMED));
  }

  @Test
  void aKeyClaimedTwiceInOneBatchIsRefused() {
    assertThatThrownBy(
            () ->
                store()
                    .claim(
                        scope,
                        List.of(request("d", "h"), request("d", "h")),
                        "o",
                        T0,
                        T0.plus(LEASE),
                        EXPIRES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'d'");
  }

  @Test
  void aLiveLeaseMakesTheKeyBusyUntilItEnds() {
    claimOne("k2", "h", T0);
    ClaimResult second = claimOne("k2", "h", T0.plusSeconds(10));
    assertThat(second.status()).isEqualTo(ClaimResult.Status.BUSY);
    // What is left of the lease, from the second caller's now.
    assertThat(second.leaseUntil())
        .isAfter(T0.plusSeconds(10))
        .isBeforeOrEqualTo(T0.plusSeconds(10).plus(LEASE));
  }

  @Test
  void anExpiredLeaseIsTakenOverAndCountsAnAttempt() {
    claimExpired("k3", "h", T0);
    ClaimResult takeover = claimOne("k3", "h", T0.plusSeconds(1));
    assertThat(takeover.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(takeover.claim().attempts()).isEqualTo(2);
  }

  /** Case 10: a worker whose clock runs ahead does not take a live lease it thinks has ended. */
  @Test
  void aLiveLeaseIsLiveByTheStoresClockWhateverTheCallersClockSays() {
    claimOne("skew-1", "h", T0);
    ClaimResult ahead = claimOne("skew-1", "h", T0.plus(Duration.ofHours(1)));
    assertThat(ahead.status()).isEqualTo(ClaimResult.Status.BUSY);
    // The end of the other lease, told in the caller's clock: within a lease of its own now.
    assertThat(ahead.leaseUntil())
        .isAfter(T0.plus(Duration.ofHours(1)))
        .isBeforeOrEqualTo(T0.plus(Duration.ofHours(1)).plus(LEASE));
  }

  /** Case 10: a worker whose clock runs behind still takes over a lease that has ended. */
  @Test
  void anEndedLeaseHasEndedByTheStoresClockWhateverTheCallersClockSays() {
    claimExpired("skew-2", "h", T0);
    ClaimResult behind = claimOne("skew-2", "h", T0.minus(Duration.ofHours(1)));
    assertThat(behind.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(behind.claim().attempts()).isEqualTo(2);
  }

  @Test
  void aCompletedKeyIsNotClaimedAgain() {
    Claim claim = claimOne("k4", "h", T0).claim();
    assertThat(store().complete(scope, List.of(claim), T0.plusSeconds(1), EXPIRES)).isEmpty();
    assertThat(claimOne("k4", "h", T0.plusSeconds(60)).status())
        .isEqualTo(ClaimResult.Status.COMPLETED);
  }

  @Test
  void theSameKeyWithAnotherPayloadIsReported() {
    Claim claim = claimOne("k5", "hash-a", T0).claim();
    store().complete(scope, List.of(claim), T0, EXPIRES);
    assertThat(claimOne("k5", "hash-b", T0.plusSeconds(1)).status())
        .isEqualTo(ClaimResult.Status.KEY_REUSED);
  }

  @Test
  void releasingWithoutRunningDoesNotCountTheAttempt() {
    Claim first = claimOne("k6", "h", T0).claim();
    store().release(scope, first, false, null, T0.plusSeconds(1));
    Claim second = claimOne("k6", "h", T0.plusSeconds(2)).claim();
    assertThat(second.attempts()).isEqualTo(1);
    store().release(scope, second, true, "boom", T0.plusSeconds(3));
    assertThat(claimOne("k6", "h", T0.plusSeconds(4)).claim().attempts()).isEqualTo(2);
  }

  @Test
  void aLostClaimCannotCompleteExtendOrRelease() {
    Claim stale = claimExpired("k7", "h", T0).claim();
    Claim current = claimOne("k7", "h", T0.plusSeconds(1)).claim();
    assertThat(
            store()
                .extendLeases(
                    scope, List.of(stale, current), T0.plusSeconds(2), T0.plusSeconds(122)))
        .containsExactly("k7")
        .hasSize(1);
    assertThat(store().complete(scope, List.of(stale), T0.plusSeconds(3), EXPIRES))
        .containsExactly("k7");
    // Still in progress under the current claim, whose lease was extended to 120 s.
    ClaimResult probe = claimOne("k7", "h", T0.plusSeconds(4));
    assertThat(probe.status()).isEqualTo(ClaimResult.Status.BUSY);
    assertThat(probe.leaseUntil())
        .isAfter(T0.plusSeconds(4).plus(LEASE))
        .isBeforeOrEqualTo(T0.plusSeconds(4).plusSeconds(120));
  }

  @Test
  void forgettingADeadLetteredKeyLetsAReplayRunAgain() {
    Claim claim = claimOne("k8", "h", T0).claim();
    store().forget(scope, claim);
    ClaimResult replay = claimOne("k8", "h", T0.plusSeconds(1));
    assertThat(replay.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(replay.claim().attempts()).isEqualTo(1);
  }

  @Test
  void purgeDeletesOnlyExpiredRecordsInBoundedBatches() {
    Instant soon = T0.plusSeconds(60);
    for (int i = 0; i < 5; i++) {
      // Given up (their leases ended), so only their expiry keeps them.
      store().claim(scope, List.of(request("old-" + i, "h")), "o", T0, T0, soon);
    }
    claimOne("young", "h", T0);
    Instant later = soon.plusSeconds(1);
    int first = store().purgeExpired(later, 3);
    int second = store().purgeExpired(later, 3);
    assertThat(first).isEqualTo(3);
    assertThat(second).isGreaterThanOrEqualTo(2);
    assertThat(claimOne("young", "h", T0.plusSeconds(1)).status())
        .isEqualTo(ClaimResult.Status.BUSY);
    assertThat(claimOne("old-0", "h", later).claim().attempts()).isEqualTo(1);
  }

  @Test
  void purgeNeverDeletesARecordWhoseLeaseIsLive() {
    Instant soon = T0.plusSeconds(60);
    store().claim(scope, List.of(request("leased", "h")), "o", T0, T0.plusSeconds(600), soon);
    store().purgeExpired(soon.plusSeconds(1), 100);
    // Still held by its claim: another claim finds it busy, not free to run again.
    assertThat(claimOne("leased", "h", soon.plusSeconds(2)).status())
        .isEqualTo(ClaimResult.Status.BUSY);
  }

  @Test
  void answersWhenAvailable() {
    assertThat(store().isAvailable()).isTrue();
  }
}
