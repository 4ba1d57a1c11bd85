package dev.sqsworker.app.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sqsworker.app.HealthCheck;
import dev.sqsworker.app.HealthContributor;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database pool's health: closed is down; every connection busy is up (the database answers the
 * handlers, and waiting for a free connection would only delay the check); otherwise a connection
 * must pass a validity check within two seconds.
 */
public final class PoolHealth implements HealthContributor {

  private static final int VALIDATION_SECONDS = 2;

  private final HikariDataSource pool;

  /** Checks {@code pool}. */
  public PoolHealth(HikariDataSource pool) {
    this.pool = pool;
  }

  @Override
  public HealthCheck check() {
    if (pool.isClosed()) {
      return HealthCheck.down("pool " + pool.getPoolName() + " is closed");
    }
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    int active = bean == null ? 0 : bean.getActiveConnections();
    int max = pool.getMaximumPoolSize();
    if (bean != null && active >= max) {
      return HealthCheck.up("all " + max + " connections in use");
    }
    try (Connection connection = pool.getConnection()) {
      if (connection.isValid(VALIDATION_SECONDS)) {
        return HealthCheck.up(active + " of " + max + " connections in use; database answers");
      }
      return HealthCheck.down("database did not answer within " + VALIDATION_SECONDS + "s");
    } catch (SQLException e) {
      return HealthCheck.down("cannot get a connection: " + e.getMessage());
    }
  }
}
