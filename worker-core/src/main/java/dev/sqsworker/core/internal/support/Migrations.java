package dev.sqsworker.core.internal.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Runs one of the worker's Flyway histories, one process at a time per history table. Tasks that
 * start together on a new database would otherwise race: one finds the schema no longer empty but
 * the history table another has just created still empty, takes Flyway's baseline path and fails. A
 * PostgreSQL advisory lock (session-level, on a connection of its own, in the two-key space so it
 * never meets Flyway's own lock) makes the others wait until the first has finished; they then find
 * the history complete and have nothing to do.
 */
public final class Migrations {

  /** The first key of the advisory locks the worker's migrations take. */
  static final int LOCK_NAMESPACE = 0x5157_4D49; // "SQWI"

  private Migrations() {}

  /**
   * Applies the pending migrations of {@code location}, recorded in {@code historyTable}. Needs a
   * second connection from {@code dataSource} while it runs (the lock holds the first).
   */
  public static void migrate(DataSource dataSource, String location, String historyTable) {
    try (Connection lock = dataSource.getConnection()) {
      take(lock, "SELECT pg_advisory_lock(?, hashtext(?))", historyTable);
      try {
        Flyway.configure()
            .dataSource(dataSource)
            .locations(location)
            .table(historyTable)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      } finally {
        take(lock, "SELECT pg_advisory_unlock(?, hashtext(?))", historyTable);
      }
    } catch (SQLException e) {
      throw new FlywayException(
          "Could not lock the migrations of " + historyTable + ": " + e.getMessage(), e);
    }
  }

  private static void take(Connection c, String sql, String historyTable) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setInt(1, LOCK_NAMESPACE);
      s.setString(2, historyTable);
      s.execute();
    }
  }
}
