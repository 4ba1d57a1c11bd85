package dev.sqsworker.spring.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The shipments table (created by the application's own Flyway migration). */
@Repository
public class Shipments {

  private static final Logger LOG = LoggerFactory.getLogger(Shipments.class);

  private final JdbcTemplate jdbc;

  /** Writes through the application's JdbcTemplate. */
  public Shipments(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records a shipment. {@code @Transactional} (REQUIRED) joins the transaction sqs-worker opened
   * for the message, so the row commits with the idempotency key's completion, or not at all.
   */
  @Transactional
  public void ship(OrderPlaced order) {
    jdbc.update(
        "INSERT INTO shipments (order_id, address) VALUES (?, ?)",
        order.orderId(),
        order.address());
    LOG.info("Shipped order {}", order.orderId());
  }

  /** How many shipments there are of an order. */
  public int count(String orderId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM shipments WHERE order_id = ?", Integer.class, orderId);
  }
}
