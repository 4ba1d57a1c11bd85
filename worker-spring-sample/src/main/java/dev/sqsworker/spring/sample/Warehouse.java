package dev.sqsworker.spring.sample;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Packs an order: stands for the real work (a call, a computation) a shutdown must let finish. */
@Component
public class Warehouse {

  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  private final Duration packingTime;

  /**
   * @param packingTime how long packing takes ({@code sample.packing-time}, default none)
   */
  public Warehouse(@Value("${sample.packing-time:0s}") Duration packingTime) {
    this.packingTime = packingTime;
  }

  /** Packs the order; blocks for the packing time. */
  public void pack(OrderPlaced order) throws InterruptedException {
    LOG.info("Packing order {}", order.orderId());
    if (!packingTime.isZero()) {
      Thread.sleep(packingTime.toMillis());
    }
  }
}
