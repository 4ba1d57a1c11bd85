package dev.sqsworker.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server with a throwaway data directory on a free local port. Closing it stops
 * the server and deletes the data directory.
 */
public final class LocalPostgres implements AutoCloseable {

  /** The superuser that owns every database of the server. */
  public static final String USER = "postgres";

  /** The password of {@link #USER}; the server trusts local connections, so any password works. */
  public static final String PASSWORD = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;
  private final AtomicInteger databases = new AtomicInteger();

  private LocalPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a server (a few seconds: it runs initdb in a fresh directory). */
  public static LocalPostgres start() {
    try {
      return new LocalPostgres(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The JDBC URL of the default {@code postgres} database. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The JDBC URL of a database of this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  /** A data source for the default database (not pooled). */
  public DataSource dataSource() {
    return dataSource("postgres");
  }

  /** A data source for a database of this server (not pooled). */
  public DataSource dataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl(database));
    ds.setUser(USER);
    ds.setPassword(PASSWORD);
    return ds;
  }

  /**
   * Creates an empty database whose name starts with {@code prefix} and returns its name, so that
   * test classes sharing one server do not see each other's tables.
   */
  public String createDatabase(String prefix) {
    String name = prefix.toLowerCase(Locale.ROOT) + "_" + databases.incrementAndGet();
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "database prefix must be letters, digits and underscores, was '" + prefix + "'");
    }
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + name, e);
    }
  }

  /** Stops the server and removes its data directory. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
    }
  }
}
