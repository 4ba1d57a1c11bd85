package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's statements touch only the rows of the keys they are given, whatever the planner
 * believes about the scope. A scope the table's statistics do not know yet (a new queue on a shared
 * table, or a table that grew since its last ANALYZE) looks empty to the planner; a join it plans
 * for "no rows" reads every row of that scope, so each claim would cost more as the table grows.
 * Counted in rows fetched (the transaction's own statistics), not in time.
 */
@WithLocalServices
class IdempotencyStatementsScaleIT {

  /** Rows of the scope under test that the statistics have never seen. */
  private static final int UNSEEN_ROWS = 20_000;

  private static final String SCOPE = "orders";
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  private Connection connection;
  private IdempotencyStore store;

  @BeforeEach
  void tableWhoseStatisticsDoNotKnowTheScope(LocalPostgres postgres) throws SQLException {
    DataSource db = postgres.dataSource(postgres.createDatabase("idem_scale"));
    IdempotencySchema.migrate(db);
    connection = db.getConnection();
    try (Statement s = connection.createStatement()) {
      // No automatic ANALYZE while the test runs: the statistics stay as they are made here.
      s.execute("ALTER TABLE sqsworker_idempotency SET (autovacuum_enabled = false)");
      s.execute(insertRows("other-queue", 50_000));
      s.execute("ANALYZE sqsworker_idempotency");
      s.execute(insertRows(SCOPE, UNSEEN_ROWS));
    }
    // Every statement of the store runs on this connection, in one transaction, so the
    // transaction's statistics count exactly what the store's statements read.
    connection.setAutoCommit(false);
    store = IdempotencyStore.postgres(oneConnection(connection));
  }

  @AfterEach
  void close() throws SQLException {
    connection.rollback();
    connection.close();
  }

  @Test
  void claimsReadOnlyTheRowsOfTheirKeys() throws SQLException {
    List<ClaimRequest> requests = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      requests.add(new ClaimRequest("new-" + i, "h", "t-" + i));
    }
    // One key the table has: completed already, so it is reported, not claimed.
    requests.add(new ClaimRequest("order-7", "h", "t-9"));

    long before = rowsFetched();
    List<ClaimResult> results = claim(requests);
    long read = rowsFetched() - before;

    assertThat(results).hasSize(10);
    assertThat(results.get(9).status()).isEqualTo(ClaimResult.Status.COMPLETED);
    assertThat(read).as("rows fetched by one claim of 10 keys").isLessThan(100);
  }

  @Test
  void completionsAndLeaseExtensionsReadOnlyTheRowsOfTheirKeys() throws SQLException {
    List<ClaimRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(new ClaimRequest("new-" + i, "h", "t-" + i));
    }
    List<Claim> claims = claim(requests).stream().map(ClaimResult::claim).toList();

    long before = rowsFetched();
    store.extendLeases(SCOPE, claims, NOW, NOW.plusSeconds(60));
    long extendRead = rowsFetched() - before;
    before = rowsFetched();
    store.complete(SCOPE, claims, NOW, NOW.plus(Duration.ofDays(1)));
    long completeRead = rowsFetched() - before;

    assertThat(extendRead).as("rows fetched extending 10 leases").isLessThan(100);
    assertThat(completeRead).as("rows fetched completing 10 keys").isLessThan(100);
  }

  private List<ClaimResult> claim(List<ClaimRequest> requests) {
    return store.claim(
        SCOPE, requests, "worker-1", NOW, NOW.plusSeconds(30), NOW.plus(Duration.ofDays(1)));
  }

  /** Rows this transaction fetched from the table, by index or by sequential scan. */
  private long rowsFetched() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT COALESCE(idx_tup_fetch, 0) + COALESCE(seq_tup_read, 0)"
                    + " FROM pg_stat_xact_user_tables WHERE relname = 'sqsworker_idempotency'")) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static String insertRows(String scope, int rows) {
    return "INSERT INTO sqsworker_idempotency (scope, key, status, payload_hash, attempts,"
        + " created_at, updated_at, completed_at, expires_at) SELECT '"
        + scope
        + "', 'order-' || g, 'COMPLETED', 'h', 1, now(), now(), now(), now() + interval '7 days'"
        + " FROM generate_series(1, "
        + rows
        + ") g";
  }

  /** A data source that always hands out the one connection, whose close() does nothing. */
  private static DataSource oneConnection(Connection connection) {
    Connection kept =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(connection, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new DataSource() {
      @Override
      public Connection getConnection() {
        return kept;
      }

      @Override
      public Connection getConnection(String user, String password) {
        return kept;
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() {
        return Logger.getGlobal();
      }

      @Override
      public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> type) {
        return false;
      }
    };
  }
}
