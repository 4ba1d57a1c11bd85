package dev.sqsworker.core.internal.support;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Reads what a database failure means from its SQLState, so that a failure caused by the message is
 * not mistaken for an outage and an outage is not blamed on the message.
 */
public final class SqlFailures {

  /** What a database failure means. */
  public enum Meaning {
    /**
     * The database cannot be reached (class 08, 57P0x, a pool timeout), or it answers read-only
     * (25006: a failover moved the endpoint and a connection still points at the old primary, now a
     * standby): nobody's fault.
     */
    UNAVAILABLE,
    /**
     * The data broke a constraint (class 23), or the handler left its transaction aborted (25P02):
     * the same message fails the same way again.
     */
    CONSTRAINT,
    /** A serialization failure or deadlock (40001, 40P01): try again after a backoff. */
    CONFLICT,
    /** Anything else, including no SQL failure at all. */
    OTHER
  }

  /** PostgreSQL's {@code read_only_sql_transaction}. */
  private static final String READ_ONLY = "25006";

  private SqlFailures() {}

  /** The meaning of the first SQL failure in {@code error}'s chain. */
  public static Meaning classify(Throwable error) {
    SQLException sql = Causes.find(error, SQLException.class);
    if (sql == null) {
      return Meaning.OTHER;
    }
    if (sql instanceof SQLTransientConnectionException
        || sql instanceof SQLNonTransientConnectionException) {
      return Meaning.UNAVAILABLE;
    }
    String state = firstState(sql);
    if (state == null) {
      return Meaning.OTHER;
    }
    if (state.startsWith("08") || state.startsWith("57P0") || state.equals(READ_ONLY)) {
      return Meaning.UNAVAILABLE;
    }
    if (state.startsWith("23") || state.equals("25P02")) {
      return Meaning.CONSTRAINT;
    }
    if (state.equals("40001") || state.equals("40P01")) {
      return Meaning.CONFLICT;
    }
    return Meaning.OTHER;
  }

  /** The SQLState of the exception or, if it has none, of the next one in its chain. */
  private static String firstState(SQLException sql) {
    for (SQLException e = sql; e != null; e = e.getNextException()) {
      if (e.getSQLState() != null) {
        return e.getSQLState();
      }
      if (e.getNextException() == e) {
        break;
      }
    }
    Throwable cause = sql.getCause();
    if (cause instanceof SQLException inner && inner != sql) {
      return inner.getSQLState();
    }
    return null;
  }

  /**
   * Whether the database refused a write because it answers read-only (an old primary during a
   * failover, a standby).
   */
  public static boolean isReadOnly(Throwable error) {
    SQLException sql = Causes.find(error, SQLException.class);
    return sql != null && READ_ONLY.equals(firstState(sql));
  }

  /** Whether the failure means the database cannot be reached. */
  public static boolean isUnavailable(Throwable error) {
    return classify(error) == Meaning.UNAVAILABLE;
  }
}
