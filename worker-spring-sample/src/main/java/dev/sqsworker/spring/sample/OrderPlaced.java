package dev.sqsworker.spring.sample;

/**
 * The message: an order to ship.
 *
 * @param orderId the order
 * @param address where it goes
 */
public record OrderPlaced(String orderId, String address) {}
