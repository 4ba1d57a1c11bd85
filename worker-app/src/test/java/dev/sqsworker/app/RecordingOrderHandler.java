package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler the application creates from {@code SQSWORKER_HANDLER_CLASS} with its data source: it
 * records each order in {@link #TABLE}. An order with {@code hold} set waits for {@link #GATE}
 * first, so a test can observe the application while a message is in flight.
 */
public final class RecordingOrderHandler implements MessageHandler<RecordingOrderHandler.Order> {

  /** The payload. */
  public record Order(String orderId, boolean hold) {}

  /** The table the handler writes. */
  public static final String TABLE =
      "CREATE TABLE handled_orders (order_id text PRIMARY KEY, message_id text NOT NULL)";

  /** Released by a test to let held orders finish. */
  public static volatile CountDownLatch GATE = new CountDownLatch(1);

  private static final Logger LOG = LoggerFactory.getLogger(RecordingOrderHandler.class);
  private static final Duration MAX_HOLD = Duration.ofSeconds(30);

  private final DataSource dataSource;

  /** Created by the application with its pool. */
  public RecordingOrderHandler(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void handle(Order order, MessageContext context)
      throws SQLException, InterruptedException {
    LOG.info("handling order {}", order.orderId());
    if (order.hold() && !GATE.await(MAX_HOLD.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("gate not opened within " + MAX_HOLD);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO handled_orders(order_id, message_id) VALUES (?, ?)")) {
      insert.setString(1, order.orderId());
      insert.setString(2, context.messageId());
      insert.executeUpdate();
    }
  }
}
