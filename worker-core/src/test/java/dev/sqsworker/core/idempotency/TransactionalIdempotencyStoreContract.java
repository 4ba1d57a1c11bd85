package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TransactionalIdempotencyStore} must do: everything of {@link
 * IdempotencyStoreContract}, and a completion that commits or rolls back with the caller's
 * transaction. A store's test supplies the store and a connection to the same database.
 */
public abstract class TransactionalIdempotencyStoreContract extends IdempotencyStoreContract {

  @Override
  protected abstract TransactionalIdempotencyStore store();

  /** A new connection to the store's database, for transactional completion. */
  protected abstract Connection connection() throws SQLException;

  @Test
  void transactionalCompletionCommitsOrRollsBackWithTheCallersWork() throws SQLException {
    Claim claim = claimOne("k9", "h", T0).claim();
    try (Connection tx = connection()) {
      tx.setAutoCommit(false);
      assertThat(store().complete(tx, scope, claim, T0.plusSeconds(1), EXPIRES)).isTrue();
      tx.rollback();
    }
    assertThat(claimOne("k9", "h", T0.plusSeconds(2)).status()).isEqualTo(ClaimResult.Status.BUSY);
    try (Connection tx = connection()) {
      tx.setAutoCommit(false);
      assertThat(store().complete(tx, scope, claim, T0.plusSeconds(3), EXPIRES)).isTrue();
      tx.commit();
    }
    assertThat(claimOne("k9", "h", T0.plusSeconds(4)).status())
        .isEqualTo(ClaimResult.Status.COMPLETED);
  }

  @Test
  void transactionalCompletionOfALostClaimIsRefused() throws SQLException {
    Claim stale = claimExpired("k10", "h", T0).claim();
    claimOne("k10", "h", T0.plusSeconds(1));
    try (Connection tx = connection()) {
      tx.setAutoCommit(false);
      assertThat(store().complete(tx, scope, stale, T0.plusSeconds(40), EXPIRES)).isFalse();
      tx.rollback();
    }
  }
}
