package dev.sqsworker.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private final Path dataDirectory;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();
  private EmbeddedPostgres postgres;

  private LocalPostgres(Path dataDirectory, int port, EmbeddedPostgres postgres) {
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.postgres = postgres;
  }

  /** Starts a server on a free port (a few seconds: it runs initdb in a fresh directory). */
  public static LocalPostgres start() {
    return start(0);
  }

  /**
   * Starts a server on {@code port}, or on a free port when it is 0.
   *
   * @throws UncheckedIOException if the server cannot start, e.g. because the port is taken
   */
  public static LocalPostgres start(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (port != 0) {
      requireFree(port);
    }
    try {
      Path dir = Files.createTempDirectory("sqsworker-pg");
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false);
      if (port != 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres pg = builder.start();
      return new LocalPostgres(dir, pg.getPort(), pg);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL server"
              + (port == 0 ? "" : " on port " + port)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Fails at once, naming the port, when something listens on it already: the server would fail to
   * bind it, and the embedded launcher would only notice after its start-up wait.
   */
  private static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL server: port " + port + " is already in use", e);
    }
  }

  /**
   * Stops the server, so clients see a database outage; {@link #startAgain()} brings it back on the
   * same port with the same data.
   */
  public synchronized void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
    }
  }

  /** Starts the server again after {@link #stop()}, on the same port with the same data. */
  public synchronized void startAgain() {
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(port)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not restart the embedded PostgreSQL server", e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return port;
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
  public synchronized void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
    } finally {
      deleteRecursively(dataDirectory);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is not worth failing a test run for.
    }
  }
}
