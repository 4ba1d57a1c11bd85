package dev.sqsworker.core.idempotency.internal;

import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimRequest;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.idempotency.IdempotencyStoreException;
import dev.sqsworker.core.idempotency.TransactionalIdempotencyStore;
import dev.sqsworker.core.internal.support.SqlFailures;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The idempotency store on PostgreSQL: one statement per batch of keys, arrays via unnest. Leases
 * are kept in the database's time ({@code now()}): a lease lasts {@code leaseUntil - now} of the
 * caller's times from the database's now, and is compared with the database's now, so workers whose
 * clocks disagree never take each other's live lease.
 */
public final class PostgresIdempotencyStore implements TransactionalIdempotencyStore {

  private static final String CLAIM =
      """
      WITH input AS (
        SELECT * FROM unnest(?::text[], ?::text[], ?::text[]) AS i(key, payload_hash, token)
      ),
      claimed AS (
        INSERT INTO sqsworker_idempotency AS r
          (scope, key, status, payload_hash, owner, claim_token, lease_until, attempts,
           created_at, updated_at, expires_at)
        SELECT ?, i.key, 'IN_PROGRESS', i.payload_hash, ?, i.token,
               now() + ? * interval '1 millisecond', 1, ?, ?, ?
        FROM input i
        ON CONFLICT (scope, key) DO UPDATE
          SET owner = EXCLUDED.owner,
              claim_token = EXCLUDED.claim_token,
              lease_until = EXCLUDED.lease_until,
              attempts = r.attempts + 1,
              updated_at = EXCLUDED.updated_at,
              expires_at = EXCLUDED.expires_at
          WHERE r.status = 'IN_PROGRESS'
            AND (r.lease_until IS NULL OR r.lease_until <= now())
            AND r.payload_hash = EXCLUDED.payload_hash
        RETURNING r.key, r.attempts
      )
      SELECT i.key, c.attempts, cur.status, cur.payload_hash,
             (EXTRACT(EPOCH FROM (cur.lease_until - now())) * 1000)::bigint
      FROM input i
      LEFT JOIN claimed c ON c.key = i.key
      LEFT JOIN sqsworker_idempotency cur
        ON cur.scope = ? AND cur.key = i.key AND cur.key = ANY(?::text[])
      """;

  private static final String COMPLETE_MANY =
      """
      UPDATE sqsworker_idempotency t
         SET status = 'COMPLETED', completed_at = ?, updated_at = ?, expires_at = ?,
             lease_until = NULL, claim_token = NULL, last_error = NULL
        FROM unnest(?::text[], ?::text[]) AS c(key, token)
       WHERE t.scope = ? AND t.key = c.key AND t.claim_token = c.token
         AND t.key = ANY(?::text[])
      RETURNING c.token
      """;

  private static final String COMPLETE_ONE =
      """
      UPDATE sqsworker_idempotency
         SET status = 'COMPLETED', completed_at = ?, updated_at = ?, expires_at = ?,
             lease_until = NULL, claim_token = NULL, last_error = NULL
       WHERE scope = ? AND key = ? AND claim_token = ?
      """;

  private static final String RELEASE =
      """
      UPDATE sqsworker_idempotency
         SET lease_until = now(), updated_at = ?, claim_token = NULL,
             attempts = attempts - ?, last_error = COALESCE(?, last_error)
       WHERE scope = ? AND key = ? AND claim_token = ?
      """;

  private static final String FORGET =
      "DELETE FROM sqsworker_idempotency WHERE scope = ? AND key = ? AND claim_token = ?";

  private static final String EXTEND =
      """
      UPDATE sqsworker_idempotency t
         SET lease_until = now() + ? * interval '1 millisecond',
             expires_at = GREATEST(t.expires_at, ?)
        FROM unnest(?::text[], ?::text[]) AS c(key, token)
       WHERE t.scope = ? AND t.key = c.key AND t.claim_token = c.token
         AND t.key = ANY(?::text[])
      RETURNING t.claim_token
      """;

  /**
   * A write that changes nothing: a server that answers read-only (an old primary while its
   * endpoint moves to the new one, a standby) refuses it ({@link SqlFailures#isReadOnly}).
   */
  private static final String WRITABLE = "UPDATE sqsworker_idempotency SET key = key WHERE false";

  /**
   * Connections one probe goes through while each comes from a read-only server: a pool drops a
   * connection refused so (HikariCP marks it broken), so the next may reach the new primary.
   */
  static final int READ_ONLY_TRIES = 16;

  private static final String PURGE =
      """
      DELETE FROM sqsworker_idempotency
       WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM sqsworker_idempotency
          WHERE expires_at < ?
            AND (status = 'COMPLETED' OR lease_until IS NULL OR lease_until < now())
          LIMIT ?))
      """;

  private final DataSource dataSource;

  /** Creates the store over a pool (HikariCP recommended). */
  public PostgresIdempotencyStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public List<ClaimResult> claim(
      String scope,
      List<ClaimRequest> requests,
      String owner,
      Instant now,
      Instant leaseUntil,
      Instant expiresAt) {
    if (requests.isEmpty()) {
      return List.of();
    }
    requireDistinct(requests);
    int n = requests.size();
    String[] keys = new String[n];
    String[] hashes = new String[n];
    String[] tokens = new String[n];
    Map<String, ClaimRequest> byKey = new HashMap<>();
    for (int i = 0; i < n; i++) {
      ClaimRequest r = requests.get(i);
      keys[i] = r.key();
      hashes[i] = r.payloadHash();
      tokens[i] = r.token();
      byKey.put(r.key(), r);
    }
    Map<String, ClaimResult> results = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(CLAIM)) {
      Array keyArray = c.createArrayOf("text", keys);
      s.setArray(1, keyArray);
      s.setArray(2, c.createArrayOf("text", hashes));
      s.setArray(3, c.createArrayOf("text", tokens));
      s.setString(4, scope);
      s.setString(5, owner);
      s.setLong(6, millisBetween(now, leaseUntil));
      s.setTimestamp(7, Timestamp.from(now));
      s.setTimestamp(8, Timestamp.from(now));
      s.setTimestamp(9, Timestamp.from(expiresAt));
      s.setString(10, scope);
      // The keys again, as a condition on the table alone: its scan reads only these rows,
      // whatever join the planner picks (a scope its statistics do not know looks empty to it).
      s.setArray(11, keyArray);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          int attempts = rs.getInt(2);
          if (!rs.wasNull()) {
            results.put(key, ClaimResult.claimed(new Claim(key, byKey.get(key).token(), attempts)));
            continue;
          }
          String status = rs.getString(3);
          String hash = rs.getString(4);
          long leaseLeft = rs.getLong(5);
          // The other lease's end in the caller's time: what is left of it by the database's.
          Instant lease = rs.wasNull() ? null : now.plusMillis(Math.max(0, leaseLeft));
          results.put(key, notClaimed(key, status, hash, lease, byKey.get(key)));
        }
      }
    } catch (SQLException e) {
      throw new IdempotencyStoreException("Could not claim " + n + " keys in scope " + scope, e);
    }
    List<ClaimResult> ordered = new ArrayList<>(n);
    for (ClaimRequest r : requests) {
      ordered.add(results.get(r.key()));
    }
    return ordered;
  }

  private static ClaimResult notClaimed(
      String key, String status, String hash, Instant lease, ClaimRequest request) {
    if (status == null) {
      // Inserted and deleted by someone else in between: treat as busy for a moment.
      return new ClaimResult(key, ClaimResult.Status.BUSY, null, null);
    }
    if (!request.payloadHash().equals(hash)) {
      return new ClaimResult(key, ClaimResult.Status.KEY_REUSED, null, null);
    }
    if ("COMPLETED".equals(status)) {
      return new ClaimResult(key, ClaimResult.Status.COMPLETED, null, null);
    }
    return new ClaimResult(key, ClaimResult.Status.BUSY, null, lease);
  }

  private static void requireDistinct(List<ClaimRequest> requests) {
    Set<String> keys = new HashSet<>();
    for (ClaimRequest r : requests) {
      if (!keys.add(r.key())) {
        throw new IllegalArgumentException("key '" + r.key() + "' is claimed twice in one batch");
      }
    }
  }

  @Override
  public Set<String> complete(
      String scope, Collection<Claim> claims, Instant now, Instant expiresAt) {
    if (claims.isEmpty()) {
      return Set.of();
    }
    Map<String, String> keyByToken = new HashMap<>();
    claims.forEach(claim -> keyByToken.put(claim.token(), claim.key()));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(COMPLETE_MANY)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setTimestamp(2, Timestamp.from(now));
      s.setTimestamp(3, Timestamp.from(expiresAt));
      s.setArray(4, keys(c, claims));
      s.setArray(5, tokens(c, claims));
      s.setString(6, scope);
      s.setArray(7, keys(c, claims));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keyByToken.remove(rs.getString(1));
        }
      }
      return new LinkedHashSet<>(keyByToken.values());
    } catch (SQLException e) {
      throw new IdempotencyStoreException(
          "Could not complete " + claims.size() + " keys in scope " + scope, e);
    }
  }

  @Override
  public boolean complete(
      Connection transaction, String scope, Claim claim, Instant now, Instant expiresAt) {
    try (PreparedStatement s = transaction.prepareStatement(COMPLETE_ONE)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setTimestamp(2, Timestamp.from(now));
      s.setTimestamp(3, Timestamp.from(expiresAt));
      s.setString(4, scope);
      s.setString(5, claim.key());
      s.setString(6, claim.token());
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IdempotencyStoreException(
          "Could not complete key '" + claim.key() + "' in scope " + scope, e);
    }
  }

  @Override
  public void release(String scope, Claim claim, boolean attempted, String lastError, Instant now) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(RELEASE)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setInt(2, attempted ? 0 : 1);
      s.setString(3, lastError);
      s.setString(4, scope);
      s.setString(5, claim.key());
      s.setString(6, claim.token());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IdempotencyStoreException(
          "Could not release key '" + claim.key() + "' in scope " + scope, e);
    }
  }

  @Override
  public void forget(String scope, Claim claim) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(FORGET)) {
      s.setString(1, scope);
      s.setString(2, claim.key());
      s.setString(3, claim.token());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IdempotencyStoreException(
          "Could not forget key '" + claim.key() + "' in scope " + scope, e);
    }
  }

  @Override
  public Set<String> extendLeases(
      String scope, Collection<Claim> claims, Instant now, Instant leaseUntil) {
    if (claims.isEmpty()) {
      return Set.of();
    }
    Map<String, String> keyByToken = new HashMap<>();
    claims.forEach(claim -> keyByToken.put(claim.token(), claim.key()));
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(EXTEND)) {
      s.setLong(1, millisBetween(now, leaseUntil));
      // A record never expires while its lease is live.
      s.setTimestamp(2, Timestamp.from(leaseUntil));
      s.setArray(3, keys(c, claims));
      s.setArray(4, tokens(c, claims));
      s.setString(5, scope);
      s.setArray(6, keys(c, claims));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keyByToken.remove(rs.getString(1));
        }
      }
      return new LinkedHashSet<>(keyByToken.values());
    } catch (SQLException e) {
      throw new IdempotencyStoreException(
          "Could not extend " + claims.size() + " leases in scope " + scope, e);
    }
  }

  @Override
  public int purgeExpired(Instant now, int limit) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(PURGE)) {
      s.setTimestamp(1, Timestamp.from(now));
      // An IN_PROGRESS record whose lease is live (by the database's clock) is never purged.
      s.setInt(2, limit);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IdempotencyStoreException("Could not purge expired idempotency records", e);
    }
  }

  @Override
  public boolean isAvailable() {
    for (int i = 0; i < READ_ONLY_TRIES; i++) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.setQueryTimeout(2);
        s.executeUpdate(WRITABLE);
        return true;
      } catch (SQLException e) {
        if (!SqlFailures.isReadOnly(e)) {
          return false;
        }
      }
    }
    return false;
  }

  /** A lease's length from the caller's two times; the database counts it from its own now. */
  private static long millisBetween(Instant now, Instant leaseUntil) {
    return Math.max(0, Duration.between(now, leaseUntil).toMillis());
  }

  private static Array keys(Connection c, Collection<Claim> claims) throws SQLException {
    return c.createArrayOf("text", claims.stream().map(Claim::key).toArray(String[]::new));
  }

  private static Array tokens(Connection c, Collection<Claim> claims) throws SQLException {
    return c.createArrayOf("text", claims.stream().map(Claim::token).toArray(String[]::new));
  }
}
