package dev.sqsworker.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Counts the PostgreSQL round trips made through a data source: every statement execution and every
 * commit or rollback (the driver starts transactions lazily with the first statement, so {@code
 * setAutoCommit(false)} costs none).
 */
final class CountingDataSource implements DataSource {

  private static final Set<String> EXECUTIONS =
      Set.of("execute", "executeQuery", "executeUpdate", "executeBatch", "executeLargeUpdate");
  private static final Set<String> ENDS = Set.of("commit", "rollback");

  private final DataSource delegate;
  private final LongAdder roundTrips = new LongAdder();

  CountingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  long roundTrips() {
    return roundTrips.sum();
  }

  void reset() {
    roundTrips.reset();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(delegate.getConnection(user, password));
  }

  private Connection wrap(Connection connection) {
    return proxy(
        Connection.class,
        connection,
        (method, result) -> {
          if (ENDS.contains(method.getName())) {
            roundTrips.increment();
          }
          if (result instanceof Statement statement) {
            return statementProxy(statement);
          }
          return result;
        });
  }

  private Object statementProxy(Statement statement) {
    Class<?> type =
        statement instanceof java.sql.PreparedStatement
            ? java.sql.PreparedStatement.class
            : Statement.class;
    return proxy(
        type,
        statement,
        (method, result) -> {
          if (EXECUTIONS.contains(method.getName())) {
            roundTrips.increment();
          }
          return result;
        });
  }

  private interface After {
    Object apply(Method method, Object result);
  }

  private static <T> T proxy(Class<T> type, Object target, After after) {
    InvocationHandler handler =
        (p, method, args) -> {
          try {
            return after.apply(method, method.invoke(target, args));
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
