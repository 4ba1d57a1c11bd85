package dev.sqsworker.app.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** Creates the application's PostgreSQL pool. */
public final class Pools {

  /** How long a caller waits for a free connection before failing (and retrying the message). */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  private Pools() {}

  /**
   * A HikariCP pool for the settings, with metrics in {@code registry}. It connects lazily: a
   * database that is down at start shows in {@code /health/ready}, not as a crash loop.
   */
  public static HikariDataSource create(AppSettings.Jdbc jdbc, MeterRegistry registry) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sqsworker-db");
    config.setJdbcUrl(jdbc.url());
    config.setUsername(jdbc.user());
    jdbc.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(jdbc.poolSize());
    config.setMinimumIdle(Math.min(2, jdbc.poolSize()));
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setInitializationFailTimeout(-1);
    config.setMetricRegistry(registry);
    return new HikariDataSource(config);
  }
}
