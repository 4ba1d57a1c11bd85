package dev.sqsworker.app.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * Creates the application's PostgreSQL pool, with the settings that let it follow a managed
 * database's failover (RDS Multi-AZ, Aurora) without a restart.
 *
 * <p>A failover moves the endpoint: open connections break (or, for a moment, still reach the old
 * primary, now read-only), and new ones must find the new primary. So: the driver accepts only a
 * writable server ({@code targetServerType=primary}, with every host of a multi-host URL tried in
 * turn), gives up on a dead host quickly ({@code connectTimeout}, {@code socketTimeout}), the pool
 * replaces connections regularly ({@code maxLifetime}) and notices dead idle ones ({@code
 * keepaliveTime}), and a connection that answers "read-only transaction" (SQLState 25006) is
 * evicted at once rather than handed out again.
 */
public final class Pools {

  /** How long a caller waits for a free connection before failing (and retrying the message). */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A pooled connection is replaced after this long, so that after a failover no connection keeps
   * pointing at an old primary for longer (HikariCP's own default is 30 minutes).
   */
  public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

  /** An idle connection is checked this often, so a dead one is found before a caller gets it. */
  public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(30);

  /**
   * The driver's defaults for failover; a parameter of the same name in {@code
   * SQSWORKER_JDBC_URL}'s query string wins. Timeouts in seconds, as the PostgreSQL driver reads
   * them.
   */
  public static final Map<String, String> DRIVER_DEFAULTS =
      Map.of(
          // Only a writable server: a reconnect that lands on a standby tries the next host.
          "targetServerType", "primary",
          // A host known to be a standby (or down) is tried again after this long.
          "hostRecheckSeconds", "2",
          "connectTimeout", "5",
          // No answer within a minute: the server is gone (the longest statement the worker runs
          // is a batched claim or completion; a handler's own longer queries can raise it).
          "socketTimeout", "60",
          "tcpKeepAlive", "true");

  /** A connection idle this long beyond the minimum is closed. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

  private Pools() {}

  /**
   * A HikariCP pool for the settings, with metrics in {@code registry}. It connects lazily: a
   * database that is down at start shows in {@code /health/ready}, not as a crash loop.
   */
  public static HikariDataSource create(AppSettings.Jdbc jdbc, MeterRegistry registry) {
    HikariConfig config = config(jdbc);
    config.setMetricRegistry(registry);
    return new HikariDataSource(config);
  }

  /** The pool's configuration for the settings (without metrics). */
  static HikariConfig config(AppSettings.Jdbc jdbc) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sqsworker-db");
    config.setJdbcUrl(jdbc.url());
    config.setUsername(jdbc.user());
    jdbc.password().ifPresent(config::setPassword);
    DRIVER_DEFAULTS.forEach(config::addDataSourceProperty);
    config.setMaximumPoolSize(jdbc.poolSize());
    config.setMinimumIdle(Math.min(2, jdbc.poolSize()));
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setMaxLifetime(MAX_LIFETIME.toMillis());
    config.setKeepaliveTime(KEEPALIVE_TIME.toMillis());
    // Below the lifetime, or HikariCP ignores it.
    config.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    config.setExceptionOverride(new EvictReadOnly());
    config.setInitializationFailTimeout(-1);
    return config;
  }

  /**
   * Evicts a connection that answered "read-only transaction": it points at a standby (an old
   * primary after a failover), and every write through it would fail the same way. HikariCP by
   * itself evicts only on connection-class states.
   */
  static final class EvictReadOnly implements SQLExceptionOverride {
    /** PostgreSQL's {@code read_only_sql_transaction}. */
    private static final String READ_ONLY = "25006";

    @java.lang.Override
    public Override adjudicate(SQLException e) {
      for (SQLException s = e; s != null; s = s.getNextException()) {
        if (READ_ONLY.equals(s.getSQLState())) {
          return Override.MUST_EVICT;
        }
        if (s.getNextException() == s) {
          break;
        }
      }
      return Override.CONTINUE_EVICT;
    }
  }
}
