package dev.sqsworker.core.internal.run;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The handler transaction's quiet ends, shared by the single and the batch runner. */
final class Transactions {

  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  private Transactions() {}

  /** Rolls back; a failure is logged, not thrown (the connection is closed next anyway). */
  static void rollbackQuietly(Connection tx) {
    try {
      tx.rollback();
    } catch (SQLException e) {
      LOG.debug("Rollback failed", e);
    }
  }

  /** Closes the connection if there is one; a failure is logged, not thrown. */
  static void closeQuietly(Connection tx) {
    if (tx == null) {
      return;
    }
    try {
      tx.close();
    } catch (SQLException e) {
      LOG.debug("Closing the transaction's connection failed", e);
    }
  }
}
