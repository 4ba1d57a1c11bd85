package dev.sqsworker.core.idempotency;

import dev.sqsworker.core.idempotency.internal.PostgresIdempotencyStore;
import javax.sql.DataSource;

/**
 * Where idempotency records live: the claim lifecycle ({@link IdempotencyClaims}), the upkeep of
 * the records ({@link IdempotencyMaintenance}), and a health probe. Times are given by the caller
 * (the worker's clock) for expiry; leases run on the store's own clock (see {@link
 * IdempotencyClaims}). A store that can complete inside the handler's JDBC transaction is a {@link
 * TransactionalIdempotencyStore}.
 *
 * <p>Implementations must pass {@code IdempotencyStoreContract} in the test sources ({@code
 * TransactionalIdempotencyStoreContract} for a transactional one).
 */
public interface IdempotencyStore extends IdempotencyClaims, IdempotencyMaintenance {

  /** The PostgreSQL store; create its table first with {@link IdempotencySchema#migrate}. */
  static TransactionalIdempotencyStore postgres(DataSource dataSource) {
    return new PostgresIdempotencyStore(dataSource);
  }

  /**
   * Whether the store answers now and takes writes (a cheap round trip): a server that answers
   * read-only, as an old primary does during a failover, is not available.
   */
  boolean isAvailable();
}
