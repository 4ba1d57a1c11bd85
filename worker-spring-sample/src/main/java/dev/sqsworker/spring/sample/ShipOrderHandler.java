package dev.sqsworker.spring.sample;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import org.springframework.stereotype.Component;

/**
 * Ships an order. The bean is named {@code shipOrder} ({@code sqsworker.workers.orders.handler});
 * its payload type, {@link OrderPlaced}, is read from {@code MessageHandler<OrderPlaced>}. The
 * worker runs it in transactional idempotency mode, so {@link Shipments#ship} joins the transaction
 * in which the order's idempotency key is completed.
 */
// snippet:spring-handler
@Component("shipOrder")
public class ShipOrderHandler implements MessageHandler<OrderPlaced> {

  private final Warehouse warehouse;
  private final Shipments shipments;

  public ShipOrderHandler(Warehouse warehouse, Shipments shipments) {
    this.warehouse = warehouse;
    this.shipments = shipments;
  }

  @Override
  public void handle(OrderPlaced order, MessageContext context) throws Exception {
    warehouse.pack(order);
    shipments.ship(order); // @Transactional: commits with the order's idempotency key
  }
}
// end:spring-handler
