package dev.sqsworker.spring.sample;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Ships an order. The bean is named {@code shipOrder} ({@code sqsworker.workers.orders.handler});
 * its payload type, {@link OrderPlaced}, is read from {@code MessageHandler<OrderPlaced>}.
 */
@Component("shipOrder")
public class ShipOrderHandler implements MessageHandler<OrderPlaced> {

  private static final Logger LOG = LoggerFactory.getLogger(ShipOrderHandler.class);

  private final Shipments shipments;
  private final Duration packingTime;

  /**
   * @param shipments the shipments table
   * @param packingTime simulated work per order ({@code sample.packing-time}, default none)
   */
  public ShipOrderHandler(
      Shipments shipments, @Value("${sample.packing-time:0s}") Duration packingTime) {
    this.shipments = shipments;
    this.packingTime = packingTime;
  }

  @Override
  public void handle(OrderPlaced order, MessageContext context) throws InterruptedException {
    LOG.info("Shipping order {} (attempt {})", order.orderId(), context.attempt());
    if (!packingTime.isZero()) {
      // Stands for real work (a call, a computation) that a shutdown must let finish.
      Thread.sleep(packingTime.toMillis());
    }
    shipments.ship(order);
    LOG.info("Shipped order {}", order.orderId());
  }
}
