package dev.sqsworker.core.idempotency;

import dev.sqsworker.core.internal.support.Migrations;
import javax.sql.DataSource;

/**
 * Creates and upgrades the idempotency table with Flyway, in its own history table ({@value
 * #HISTORY_TABLE}) so it never mixes with the application's migrations. The SQL is also shipped
 * plain under {@value #LOCATION} for teams that run their own migration tool.
 */
public final class IdempotencySchema {

  /** Flyway's history table for these migrations. */
  public static final String HISTORY_TABLE = "sqsworker_idempotency_schema_history";

  /** Where the migrations are on the classpath. */
  public static final String LOCATION = "classpath:db/sqsworker/idempotency";

  private IdempotencySchema() {}

  /** Applies the pending migrations; safe to run at every start and from several workers. */
  public static void migrate(DataSource dataSource) {
    Migrations.migrate(dataSource, LOCATION, HISTORY_TABLE);
  }
}
