package dev.sqsworker.storage;

import dev.sqsworker.storage.internal.JdbcArtifactRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * Which object version each message produced, in PostgreSQL (table {@code sqsworker_artifact},
 * created by {@link StorageSchema#migrate(DataSource)}).
 *
 * <p>One row is kept per idempotency key and object: recording again for the same idempotency key,
 * bucket and key replaces the row, so after a retried message the registry holds the version of the
 * attempt that completed. Record in the same transaction as the handler's completion with {@link
 * #record(Connection, StoredArtifact, String, String)}.
 */
public interface ArtifactRegistry {

  /** A registry on this data source, dating records with the system clock. */
  static ArtifactRegistry create(DataSource dataSource) {
    return create(dataSource, Clock.systemUTC());
  }

  /** A registry on this data source, dating records with {@code clock}. */
  static ArtifactRegistry create(DataSource dataSource, Clock clock) {
    return new JdbcArtifactRegistry(dataSource, clock);
  }

  /**
   * Records an artifact on the caller's connection, inside whatever transaction it has open; the
   * connection is neither committed nor closed.
   *
   * @throws ArtifactRegistryException if the database refuses
   */
  RecordedArtifact record(
      Connection connection, StoredArtifact artifact, String messageId, String idempotencyKey);

  /**
   * Records an artifact in a transaction of its own.
   *
   * @throws ArtifactRegistryException if the database refuses
   */
  RecordedArtifact record(StoredArtifact artifact, String messageId, String idempotencyKey);

  /** The artifacts a message produced, oldest first. */
  List<RecordedArtifact> findByMessageId(String messageId);

  /** The artifacts recorded for an idempotency key, oldest first. */
  List<RecordedArtifact> findByIdempotencyKey(String idempotencyKey);
}
