package dev.sqsworker.core.resilience;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Counts the statements a data source's users send to the server: every {@code execute*} of a
 * statement, and every commit and rollback.
 */
public final class StatementCounter {

  private final AtomicLong statements = new AtomicLong();
  private final java.util.Map<String, AtomicLong> byKind =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The statements counted so far by kind: the method, and the SQL where it is known. */
  public java.util.Map<String, Long> byKind() {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    byKind.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  private final java.util.Map<Object, String> sqlOf =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** The statements counted so far. */
  public long statements() {
    return statements.get();
  }

  /** {@code target}, counting. */
  public DataSource wrap(DataSource target) {
    return proxy(DataSource.class, target);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              String name = method.getName();
              if (name.startsWith("execute") || name.equals("commit") || name.equals("rollback")) {
                statements.incrementAndGet();
                String sql = sqlOf.getOrDefault(self, "");
                if (args != null && args.length > 0 && args[0] instanceof String text) {
                  sql = text;
                }
                String kind = name + (sql.isEmpty() ? "" : " " + sql.split("\\s+", 3)[0]);
                byKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
              }
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (result instanceof Connection c && type != Connection.class) {
                return proxy(Connection.class, c);
              }
              if (result instanceof java.sql.PreparedStatement p) {
                java.sql.PreparedStatement counted = proxy(java.sql.PreparedStatement.class, p);
                if (args != null && args.length > 0 && args[0] instanceof String text) {
                  sqlOf.put(counted, text);
                }
                return counted;
              }
              if (result instanceof Statement s
                  && !(result instanceof java.sql.PreparedStatement)) {
                return proxy(Statement.class, s);
              }
              return result;
            });
  }
}
