package dev.sqsworker.core.resilience;

import dev.sqsworker.core.internal.support.Migrations;
import javax.sql.DataSource;

/**
 * Creates and upgrades the table of the global rate limits' buckets ({@value #TABLE}) with Flyway,
 * in its own history table ({@value #HISTORY_TABLE}) so it never mixes with the application's
 * migrations or the idempotency table's. The SQL is also shipped plain under {@value #LOCATION} for
 * teams that run their own migration tool. {@link Downstreams} applies it when a downstream has a
 * {@link DownstreamConfig#globalRateLimit() global rate limit}.
 */
public final class RateLimitSchema {

  /** The buckets' table. */
  public static final String TABLE = "sqsworker_rate_buckets";

  /** Flyway's history table for these migrations. */
  public static final String HISTORY_TABLE = "sqsworker_ratelimit_schema_history";

  /** Where the migrations are on the classpath. */
  public static final String LOCATION = "classpath:db/sqsworker/ratelimit";

  private RateLimitSchema() {}

  /** Applies the pending migrations; safe to run at every start and from several tasks. */
  public static void migrate(DataSource dataSource) {
    Migrations.migrate(dataSource, LOCATION, HISTORY_TABLE);
  }
}
