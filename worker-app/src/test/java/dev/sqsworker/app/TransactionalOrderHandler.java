package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Records each order in {@link RecordingOrderHandler#TABLE} through the worker's transaction, so
 * the row and the idempotency completion commit together (transactional idempotency).
 */
public final class TransactionalOrderHandler
    implements MessageHandler<TransactionalOrderHandler.Order> {

  /** The payload. */
  public record Order(String orderId) {}

  @Override
  public void handle(Order order, MessageContext context) throws SQLException {
    Connection tx =
        context
            .transaction()
            .orElseThrow(() -> new IllegalStateException("transactional idempotency is off"));
    try (PreparedStatement insert =
        tx.prepareStatement("INSERT INTO handled_orders(order_id, message_id) VALUES (?, ?)")) {
      insert.setString(1, order.orderId());
      insert.setString(2, context.messageId());
      insert.executeUpdate();
    }
  }
}
