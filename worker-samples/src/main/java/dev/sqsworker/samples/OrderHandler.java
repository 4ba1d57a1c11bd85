package dev.sqsworker.samples;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A sample handler: stores each order in PostgreSQL. An order with a non-positive quantity can
 * never succeed, so it is rejected as non-retryable and goes to the dead-letter queue with the
 * reason; a database error is retried.
 */
public final class OrderHandler implements MessageHandler<OrderHandler.Order> {

  /** The payload: decoded from JSON by the worker. */
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

  /** Creates the handler over a database holding {@link #DDL}. */
  public OrderHandler(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void handle(Order order, MessageContext context) throws SQLException {
    if (order.quantity() <= 0) {
      throw new NonRetryableException(
          "order "
              + order.orderId()
              + " has quantity "
              + order.quantity()
              + "; it must be positive");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO orders(order_id, customer, quantity, message_id) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (order_id) DO NOTHING")) {
      insert.setString(1, order.orderId());
      insert.setString(2, order.customer());
      insert.setInt(3, order.quantity());
      insert.setString(4, context.messageId());
      insert.executeUpdate();
    }
  }
}
