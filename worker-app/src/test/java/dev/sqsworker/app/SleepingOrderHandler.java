package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An I/O-bound handler for {@link SeveralProcessesOneQueueIT}: waits 50 ms (standing for a call to
 * a partner) and records the message in {@link #TABLE} through the worker's transaction, with the
 * process and the time, so the test counts from outside what was handled, where and how fast.
 */
public final class SleepingOrderHandler implements MessageHandler<String> {

  /** The table the handler writes; no key, so a message handled twice shows as two rows. */
  public static final String TABLE =
      "CREATE TABLE handled (body text NOT NULL, pid bigint NOT NULL,"
          + " handled_at timestamptz NOT NULL DEFAULT clock_timestamp())";

  private static final long PID = ProcessHandle.current().pid();

  @Override
  public void handle(String body, MessageContext context)
      throws SQLException, InterruptedException {
    // The work: 50 ms of waiting, as for a partner's answer.
    Thread.sleep(50);
    Connection tx = context.transaction().orElseThrow();
    try (PreparedStatement insert =
        tx.prepareStatement("INSERT INTO handled(body, pid) VALUES (?, ?)")) {
      insert.setString(1, body);
      insert.setLong(2, PID);
      insert.executeUpdate();
    }
  }
}
