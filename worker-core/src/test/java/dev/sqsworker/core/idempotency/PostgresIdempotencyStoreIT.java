package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.FaultyDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithLocalServices
class PostgresIdempotencyStoreIT extends TransactionalIdempotencyStoreContract {

  private static DataSource dataSource;
  private static TransactionalIdempotencyStore store;

  @BeforeAll
  static void database(LocalPostgres postgres) {
    dataSource = postgres.dataSource(postgres.createDatabase("idem_store"));
    IdempotencySchema.migrate(dataSource);
    store = IdempotencyStore.postgres(dataSource);
  }

  @Override
  protected TransactionalIdempotencyStore store() {
    return store;
  }

  @Override
  protected Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  @Test
  void migrationsUseTheirOwnHistoryTableAndRunTwiceSafely() throws SQLException {
    IdempotencySchema.migrate(dataSource);
    try (Connection c = dataSource.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select count(*) from " + IdempotencySchema.HISTORY_TABLE + " where success")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aServerThatAnswersReadOnlyIsNotAvailable(LocalPostgres postgres) throws SQLException {
    // An old primary answering read-only during a failover: valid connections, no writes.
    String database = postgres.createDatabase("idem_read_only");
    DataSource db = postgres.dataSource(database);
    IdempotencySchema.migrate(db);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = on");
    }
    assertThat(IdempotencyStore.postgres(db).isAvailable()).isFalse();
  }

  @Test
  void readOnlyConnectionsAreTriedPastAtOneProbe(LocalPostgres postgres) {
    // A pool still holding connections to the old primary: each is refused as read-only (and
    // dropped by the pool), so the probe goes on to the next until one takes writes.
    FaultyDataSource db = FaultyDataSource.wrap(dataSource);
    db.failStatements(
            "WHERE false",
            () -> new SQLException("cannot execute UPDATE in a read-only transaction", "25006"))
        .times(3);
    assertThat(IdempotencyStore.postgres(db).isAvailable()).isTrue();
    assertThat(db.injected()).isEqualTo(3);
  }
}
