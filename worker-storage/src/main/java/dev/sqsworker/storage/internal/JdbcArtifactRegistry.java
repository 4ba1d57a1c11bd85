package dev.sqsworker.storage.internal;

import dev.sqsworker.storage.ArtifactRegistry;
import dev.sqsworker.storage.ArtifactRegistryException;
import dev.sqsworker.storage.RecordedArtifact;
import dev.sqsworker.storage.Sha256;
import dev.sqsworker.storage.StoredArtifact;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** The artifact registry in PostgreSQL, with plain JDBC. */
public final class JdbcArtifactRegistry implements ArtifactRegistry {

  private static final String UPSERT =
      "INSERT INTO sqsworker_artifact (bucket, object_key, version_id, sha256, size_bytes,"
          + " content_type, etag, message_id, idempotency_key, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (idempotency_key, bucket, object_key) DO UPDATE SET"
          + " version_id = EXCLUDED.version_id, sha256 = EXCLUDED.sha256,"
          + " size_bytes = EXCLUDED.size_bytes, content_type = EXCLUDED.content_type,"
          + " etag = EXCLUDED.etag, message_id = EXCLUDED.message_id,"
          + " created_at = EXCLUDED.created_at"
          + " RETURNING id";

  private static final String SELECT =
      "SELECT id, bucket, object_key, version_id, sha256, size_bytes, content_type, etag,"
          + " message_id, idempotency_key, created_at FROM sqsworker_artifact";

  private final DataSource dataSource;
  private final Clock clock;

  /** A registry on this data source. */
  public JdbcArtifactRegistry(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public RecordedArtifact record(
      Connection connection, StoredArtifact artifact, String messageId, String idempotencyKey) {
    Objects.requireNonNull(artifact, "artifact");
    requireText(messageId, "messageId");
    requireText(idempotencyKey, "idempotencyKey");
    Instant now = clock.instant();
    try (PreparedStatement s = connection.prepareStatement(UPSERT)) {
      s.setString(1, artifact.bucket());
      s.setString(2, artifact.key());
      s.setString(3, artifact.versionId());
      s.setString(4, artifact.sha256().hex());
      s.setLong(5, artifact.size());
      s.setString(6, artifact.contentType());
      s.setString(7, artifact.eTag());
      s.setString(8, messageId);
      s.setString(9, idempotencyKey);
      s.setTimestamp(10, Timestamp.from(now));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new RecordedArtifact(rs.getLong(1), artifact, messageId, idempotencyKey, now);
      }
    } catch (SQLException e) {
      throw new ArtifactRegistryException(
          "Could not record artifact '"
              + artifact.key()
              + "' of message "
              + messageId
              + " (idempotency key '"
              + idempotencyKey
              + "')",
          e);
    }
  }

  @Override
  public RecordedArtifact record(StoredArtifact artifact, String messageId, String idempotencyKey) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        RecordedArtifact recorded = record(c, artifact, messageId, idempotencyKey);
        c.commit();
        return recorded;
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new ArtifactRegistryException(
          "Could not record artifact '" + artifact.key() + "' of message " + messageId, e);
    }
  }

  @Override
  public List<RecordedArtifact> findByMessageId(String messageId) {
    return find(" WHERE message_id = ? ORDER BY id", requireText(messageId, "messageId"));
  }

  @Override
  public List<RecordedArtifact> findByIdempotencyKey(String idempotencyKey) {
    return find(
        " WHERE idempotency_key = ? ORDER BY id", requireText(idempotencyKey, "idempotencyKey"));
  }

  private List<RecordedArtifact> find(String where, String value) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(SELECT + where)) {
      s.setString(1, value);
      List<RecordedArtifact> found = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.add(read(rs));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new ArtifactRegistryException("Could not look up artifacts by '" + value + "'", e);
    }
  }

  private static RecordedArtifact read(ResultSet rs) throws SQLException {
    StoredArtifact artifact =
        new StoredArtifact(
            rs.getString("bucket"),
            rs.getString("object_key"),
            rs.getString("version_id"),
            rs.getString("etag"),
            Sha256.fromHex(rs.getString("sha256")),
            rs.getLong("size_bytes"),
            rs.getString("content_type"));
    return new RecordedArtifact(
        rs.getLong("id"),
        artifact,
        rs.getString("message_id"),
        rs.getString("idempotency_key"),
        rs.getTimestamp("created_at").toInstant());
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
    }
    return value;
  }
}
