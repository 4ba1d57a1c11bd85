package dev.sqsworker.samples;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A FIFO sample: ledger entries of one account (the message group) must be applied in order. The
 * queue delivers an account's entries one at a time, in order, and holds the rest of the group back
 * after a failure; the handler checks the sequence anyway and applies each entry in the worker's
 * transaction, so an entry is applied exactly once and never out of order.
 */
public final class LedgerHandler implements MessageHandler<LedgerHandler.Entry> {

  /** One ledger entry; {@code sequence} counts from 1 per account. */
  public record Entry(String accountId, long sequence, long amountCents) {}

  /** The table the handler writes. */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS accounts ("
          + " account_id text PRIMARY KEY,"
          + " balance_cents bigint NOT NULL,"
          + " last_sequence bigint NOT NULL)";

  @Override
  public void handle(Entry entry, MessageContext context) throws SQLException {
    Connection tx =
        context
            .transaction()
            .orElseThrow(() -> new IllegalStateException("run with transactional idempotency"));
    long last = lastSequence(tx, entry.accountId());
    if (entry.sequence() != last + 1) {
      // Cannot happen with FIFO delivery; retried rather than applied out of order if it does.
      throw new IllegalStateException(
          "entry "
              + entry.sequence()
              + " of account "
              + entry.accountId()
              + " arrived after entry "
              + last);
    }
    try (PreparedStatement upsert =
        tx.prepareStatement(
            "INSERT INTO accounts(account_id, balance_cents, last_sequence) VALUES (?, ?, ?)"
                + " ON CONFLICT (account_id) DO UPDATE SET"
                + " balance_cents = accounts.balance_cents + EXCLUDED.balance_cents,"
                + " last_sequence = EXCLUDED.last_sequence")) {
      upsert.setString(1, entry.accountId());
      upsert.setLong(2, entry.amountCents());
      upsert.setLong(3, entry.sequence());
      upsert.executeUpdate();
    }
  }

  private static long lastSequence(Connection tx, String accountId) throws SQLException {
    try (PreparedStatement select =
        tx.prepareStatement("SELECT last_sequence FROM accounts WHERE account_id = ? FOR UPDATE")) {
      select.setString(1, accountId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
