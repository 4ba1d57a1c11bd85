package dev.sqsworker.spring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application whose only sqs-worker code is a {@code MessageHandler} bean ({@link
 * ShipOrderHandler}): the worker comes from {@code sqsworker.workers.orders.*} in {@code
 * application.yml}. Each order is shipped exactly once — the shipment row and the idempotency key's
 * completion commit in one Spring-managed transaction — the worker shows in {@code
 * /actuator/health}, and SIGTERM drains it before the pool closes.
 */
@SpringBootApplication
public class OrdersApplication {

  /** Runs the application until it is stopped (SIGTERM). */
  public static void main(String[] args) {
    SpringApplication.run(OrdersApplication.class, args);
  }
}
