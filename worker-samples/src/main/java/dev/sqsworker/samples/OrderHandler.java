package dev.sqsworker.samples;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A sample handler that stores each order in PostgreSQL. In the transactional idempotency mode it
 * writes through the transaction the worker opened, so the row and the key's completion commit
 * together — a redelivered order is never stored twice; otherwise its write tolerates repeats. An
 * order the business rules reject can never succeed, so it is non-retryable and goes to the
 * dead-letter queue with the reason; a database error is retried.
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

  private final DataSource dataSource;
  private final Predicate<Order> accepted;

  /** Creates the handler; it accepts orders with a positive quantity. */
  public OrderHandler(DataSource dataSource) {
    this(dataSource, order -> order.quantity() > 0);
  }

  /** Creates the handler; orders that {@code accepted} refuses are dead-lettered. */
  public OrderHandler(DataSource dataSource, Predicate<Order> accepted) {
    this.dataSource = dataSource;
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
    if (context.transaction().isPresent()) {
      // Transactional mode: a plain INSERT. The worker commits it with the key's completion, so a
      // redelivered order is never stored twice (the demo would notice: the key is the primary
      // key).
      insert(context.transaction().get(), order, context, "");
      return;
    }
    // Without the worker's transaction the write itself must tolerate a repeat.
    try (Connection c = dataSource.getConnection()) {
      insert(c, order, context, " ON CONFLICT (order_id) DO NOTHING");
    }
  }

  private static void insert(Connection c, Order order, MessageContext context, String onConflict)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO orders(order_id, customer, quantity, message_id) VALUES (?, ?, ?, ?)"
                + onConflict)) {
      insert.setString(1, order.orderId());
      insert.setString(2, order.customer());
      insert.setInt(3, order.quantity());
      insert.setString(4, context.messageId());
      insert.executeUpdate();
    }
  }
}
