package dev.sqsworker.testkit.faults;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} around a real one whose connections, statements and commits stall or fail on
 * command, to test what code does when the database is slow, gone, or refuses a transaction.
 *
 * <pre>{@code
 * FaultyDataSource db = FaultyDataSource.wrap(pool);
 * db.stallConnections(Duration.ofSeconds(6));                        // getConnection hangs 6 s
 * db.failConnections();                                              // "08001" until heal()
 * db.failStatements("UPDATE sqsworker_idempotency", FaultyDataSource::connectionLost).times(1);
 * db.failCommits(FaultyDataSource::uniqueViolation).times(1);        // the next commit: 23505
 * db.heal();                                                         // every fault gone
 * }</pre>
 *
 * <p>A statement fault applies when its SQL contains the given text (case-insensitive); it is
 * raised when the statement executes. A stall waits for its duration or until {@link #heal()},
 * whichever comes first, then lets the call through. Every rule counts what it injected.
 */
public final class FaultyDataSource implements DataSource {

  private final DataSource target;
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final AtomicReference<CountDownLatch> healed =
      new AtomicReference<>(new CountDownLatch(1));

  private FaultyDataSource(DataSource target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /** Wraps a data source; no fault is active until one is added. */
  public static FaultyDataSource wrap(DataSource target) {
    return new FaultyDataSource(target);
  }

  /** A connection failure as a pool reports it (SQLState 08001). */
  public static SQLException connectionLost() {
    return new SQLTransientConnectionException("injected fault: connection refused", "08001");
  }

  /** A unique violation (SQLState 23505). */
  public static SQLException uniqueViolation() {
    return new SQLException(
        "injected fault: duplicate key value violates unique constraint", "23505");
  }

  /** A serialization failure (SQLState 40001). */
  public static SQLException serializationFailure() {
    return new SQLException("injected fault: could not serialize access", "40001");
  }

  /** A server shutting down (SQLState 57P01). */
  public static SQLException adminShutdown() {
    return new SQLException(
        "injected fault: terminating connection due to administrator command", "57P01");
  }

  /** {@code getConnection} fails with {@link #connectionLost()}. */
  public Fault failConnections() {
    return add(new Fault(Where.CONNECT, sql -> true, FaultyDataSource::connectionLost, null));
  }

  /** {@code getConnection} waits this long (or until {@link #heal()}) before it proceeds. */
  public Fault stallConnections(Duration stall) {
    return add(new Fault(Where.CONNECT, sql -> true, null, stall));
  }

  /** Statements whose SQL contains {@code sqlPart} fail with the given error when executed. */
  public Fault failStatements(String sqlPart, Supplier<SQLException> error) {
    return add(new Fault(Where.EXECUTE, contains(sqlPart), error, null));
  }

  /** Statements whose SQL contains {@code sqlPart} wait this long (or until healed) first. */
  public Fault stallStatements(String sqlPart, Duration stall) {
    return add(new Fault(Where.EXECUTE, contains(sqlPart), null, stall));
  }

  /** {@code Connection.commit()} fails with the given error (after rolling the work back). */
  public Fault failCommits(Supplier<SQLException> error) {
    return add(new Fault(Where.COMMIT, sql -> true, error, null));
  }

  /** Removes every fault and wakes every stalled call. */
  public void heal() {
    faults.clear();
    healed.getAndSet(new CountDownLatch(1)).countDown();
  }

  /** How many faults all rules injected so far. */
  public int injected() {
    return faults.stream().mapToInt(Fault::injected).sum();
  }

  private static Predicate<String> contains(String part) {
    String lower = part.toLowerCase(java.util.Locale.ROOT);
    return sql -> sql != null && sql.toLowerCase(java.util.Locale.ROOT).contains(lower);
  }

  private Fault add(Fault fault) {
    faults.add(fault);
    return fault;
  }

  private void apply(Where where, String sql) throws SQLException {
    for (Fault fault : faults) {
      if (fault.where != where || !fault.sql.test(sql) || !fault.take()) {
        continue;
      }
      if (fault.stall != null) {
        CountDownLatch latch = healed.get();
        try {
          latch.await(fault.stall.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLTransientConnectionException("interrupted while stalled", "08001", e);
        }
      } else {
        throw fault.error.get();
      }
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    apply(Where.CONNECT, null);
    return connection(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    apply(Where.CONNECT, null);
    return connection(target.getConnection(username, password));
  }

  private Connection connection(Connection real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("commit")) {
            try {
              apply(Where.COMMIT, null);
            } catch (SQLException e) {
              real.rollback();
              throw e;
            }
          }
          Object result = invoke(real, method, args);
          if (result instanceof Statement statement
              && (name.equals("prepareStatement")
                  || name.equals("prepareCall")
                  || name.equals("createStatement"))) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            return statement(statement, sql);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private Statement statement(Statement real, String preparedSql) {
    Class<?> type =
        real instanceof CallableStatement
            ? CallableStatement.class
            : real instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().startsWith("execute") || method.getName().equals("addBatch")) {
            String sql =
                args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
            if (!method.getName().equals("addBatch")) {
              apply(Where.EXECUTE, sql);
            }
          }
          return invoke(real, method, args);
        };
    return (Statement)
        Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }

  private enum Where {
    CONNECT,
    EXECUTE,
    COMMIT
  }

  /** One fault; {@link #times(int)} limits it, {@link #remove()} ends it. */
  public final class Fault {
    private final Where where;
    private final Predicate<String> sql;
    private final Supplier<SQLException> error;
    private final Duration stall;
    private final AtomicInteger injected = new AtomicInteger();
    private volatile int limit = Integer.MAX_VALUE;

    private Fault(
        Where where, Predicate<String> sql, Supplier<SQLException> error, Duration stall) {
      this.where = where;
      this.sql = sql;
      this.error = error;
      this.stall = stall;
    }

    /** Injects at most this many times, then lets calls through. */
    public Fault times(int max) {
      this.limit = max;
      return this;
    }

    private boolean take() {
      while (true) {
        int n = injected.get();
        if (n >= limit) {
          return false;
        }
        if (injected.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    /** How many times this fault was injected. */
    public int injected() {
      return injected.get();
    }

    /** Ends this fault (stalled calls wait out their stall). */
    public void remove() {
      faults.remove(this);
    }
  }
}
