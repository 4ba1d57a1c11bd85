package dev.sqsworker.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The registry's tables, applied with Flyway from {@value #LOCATION} and tracked in a history table
 * of their own ({@value #HISTORY_TABLE}), so they live beside other modules' migrations in the same
 * schema. Without Flyway, run the SQL files under {@code db/sqsworker/storage/} of this jar in
 * version order.
 */
public final class StorageSchema {

  /** Where the migrations are. */
  public static final String LOCATION = "classpath:db/sqsworker/storage";

  /** Flyway's history table for these migrations. */
  public static final String HISTORY_TABLE = "sqsworker_storage_schema_history";

  private StorageSchema() {}

  /**
   * Brings the schema up to date and returns how many migrations ran (0 when it already was).
   *
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        // Other modules' tables may already be in the schema: start our history below V1.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
