package dev.sqsworker.samples;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * A sample handler for the transactional idempotency mode: stores each order through the
 * transaction the worker opened, so the row and the key's completion commit together — a
 * redelivered order is never stored twice. An order the business rules reject can never succeed, so
 * it is non-retryable and goes to the dead-letter queue with the reason; a database error is
 * retried.
 */
public final class OrderHandler implements MessageHandler<OrderHandler.Order> {

  /** The payload, decoded from JSON by the worker. */
  public record Order(String orderId, String customer, int quantity) {}

  /** The table the handler writes. */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS orders ("
          + " order_id text PRIMARY KEY,"
          + " customer text NOT NULL,"
          + " quantity int NOT NULL,"
          + " message_id text NOT NULL,"
          + " handled_at timestamptz NOT NULL DEFAULT now())";

  private final Predicate<Order> accepted;

  /** Creates the handler; orders that {@code accepted} refuses are dead-lettered. */
  public OrderHandler(Predicate<Order> accepted) {
    this.accepted = accepted;
  }

  @Override
  public void handle(Order order, MessageContext context) throws SQLException {
    if (!accepted.test(order)) {
      throw new NonRetryableException(
          "order "
              + order.orderId()
              + " has quantity "
              + order.quantity()
              + "; it must be positive");
    }
    Connection tx =
        context
            .transaction()
            .orElseThrow(() -> new IllegalStateException("run with transactional idempotency"));
    // A plain INSERT: a second run of the same order would fail on the primary key, so the demo
    // would notice any duplicate effect.
    try (PreparedStatement insert =
        tx.prepareStatement(
            "INSERT INTO orders(order_id, customer, quantity, message_id) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, order.orderId());
      insert.setString(2, order.customer());
      insert.setInt(3, order.quantity());
      insert.setString(4, context.messageId());
      insert.executeUpdate();
    }
  }
}
