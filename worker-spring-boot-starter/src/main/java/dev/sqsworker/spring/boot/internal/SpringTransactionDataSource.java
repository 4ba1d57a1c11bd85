package dev.sqsworker.spring.boot.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The data source of the transactional idempotency mode: each connection the worker asks for is a
 * new Spring-managed transaction of the application's {@link PlatformTransactionManager}, bound to
 * the calling thread, so the handler's {@code JdbcTemplate}, {@code @Transactional} (propagation
 * REQUIRED) and JPA work join it. The worker writes the key's completion through the returned
 * connection and then calls {@code commit()}: that is the transaction manager's commit, of the
 * handler's writes and the completion together. {@code rollback()} and {@code close()} before a
 * commit roll it back.
 *
 * <p>Everything happens on the thread that asked for the connection (the worker runs the handler
 * and commits on it); completing it from another thread is refused.
 */
public final class SpringTransactionDataSource implements DataSource {

  private final DataSource dataSource;
  private final PlatformTransactionManager transactionManager;
  private final TransactionDefinition definition;

  /**
   * @param dataSource the application's data source, the one the transaction manager manages
   * @param transactionManager the application's transaction manager
   * @param name the transactions' name (shown by Spring's transaction logging)
   */
  public SpringTransactionDataSource(
      DataSource dataSource, PlatformTransactionManager transactionManager, String name) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
    DefaultTransactionDefinition def =
        new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    def.setName(name);
    this.definition = def;
  }

  /** The application's data source. */
  public DataSource target() {
    return dataSource;
  }

  /**
   * Begins a transaction and returns its connection.
   *
   * @throws SQLException if the transaction cannot begin, or the transaction manager does not
   *     manage this data source (its work would not commit with the completion)
   */
  @Override
  public Connection getConnection() throws SQLException {
    TransactionStatus status;
    try {
      status = transactionManager.getTransaction(definition);
    } catch (TransactionException e) {
      throw new SQLException("Could not begin a transaction: " + e.getMessage(), e);
    }
    Object holder = TransactionSynchronizationManager.getResource(dataSource);
    if (!(holder instanceof ConnectionHolder connectionHolder)
        || !connectionHolder.isSynchronizedWithTransaction()) {
      rollbackQuietly(status);
      throw new SQLException(notManaged(transactionManager));
    }
    return proxy(connectionHolder.getConnection(), status);
  }

  /** The error when the transaction manager does not bind a connection of the data source. */
  static String notManaged(PlatformTransactionManager transactionManager) {
    return "the PlatformTransactionManager "
        + transactionManager.getClass().getName()
        + " does not bind a connection of the DataSource that sqs-worker's idempotency uses:"
        + " the handler's writes would not commit with the completion (use a"
        + " DataSourceTransactionManager/JdbcTransactionManager or JpaTransactionManager of that"
        + " DataSource)";
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("transactional idempotency uses the pool's user");
  }

  private Connection proxy(Connection target, TransactionStatus status) {
    return (Connection)
        Proxy.newProxyInstance(
            SpringTransactionDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new TransactionConnection(target, status, Thread.currentThread()));
  }

  private void rollbackQuietly(TransactionStatus status) {
    try {
      if (!status.isCompleted()) {
        transactionManager.rollback(status);
      }
    } catch (TransactionException e) {
      // The transaction is abandoned either way; its connection goes back to the pool.
    }
  }

  /** A connection whose commit, rollback and close are the Spring transaction's. */
  private final class TransactionConnection implements java.lang.reflect.InvocationHandler {
    private final Connection target;
    private final TransactionStatus status;
    private final Thread owner;
    private boolean closed;

    TransactionConnection(Connection target, TransactionStatus status, Thread owner) {
      this.target = target;
      this.status = status;
      this.owner = owner;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "setAutoCommit":
          if (Boolean.TRUE.equals(args[0])) {
            throw new SQLException("the connection of a Spring transaction stays in it");
          }
          return null;
        case "getAutoCommit":
          return false;
        case "commit":
          checkThread("commit");
          if (status.isCompleted()) {
            throw new SQLException("the transaction was already completed");
          }
          try {
            transactionManager.commit(status);
          } catch (TransactionException e) {
            throw new SQLException("Commit failed: " + e.getMessage(), e);
          }
          return null;
        case "rollback":
          if (args == null || args.length == 0) {
            checkThread("rollback");
            rollbackQuietly(status);
            return null;
          }
          break;
        case "close":
          if (!closed) {
            closed = true;
            if (!status.isCompleted()) {
              checkThread("close");
              rollbackQuietly(status);
            }
          }
          return null;
        case "isClosed":
          return closed || status.isCompleted();
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "Spring transaction connection [" + target + "]";
        default:
          break;
      }
      if (closed || status.isCompleted()) {
        throw new SQLException("the transaction's connection is closed (" + method.getName() + ")");
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private void checkThread(String action) throws SQLException {
      if (Thread.currentThread() != owner) {
        throw new SQLException(
            "a Spring transaction must be completed on the thread that began it; "
                + action
                + " was called on "
                + Thread.currentThread().getName()
                + " for a transaction of "
                + owner.getName());
      }
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return dataSource.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    dataSource.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    dataSource.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return dataSource.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return dataSource.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return dataSource.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || dataSource.isWrapperFor(iface);
  }
}
