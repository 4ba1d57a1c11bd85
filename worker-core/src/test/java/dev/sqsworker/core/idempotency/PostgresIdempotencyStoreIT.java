package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
}
