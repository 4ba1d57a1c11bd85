package dev.sqsworker.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method the handler of the worker {@code sqsworker.workers.<value>}, instead of a
 * {@code MessageHandler} bean. The method takes the payload, and optionally the {@link
 * dev.sqsworker.core.MessageContext}; the first parameter's (generic) type is the payload type.
 * Return normally and the message is deleted; throw and it is retried or dead-lettered, as for a
 * {@code MessageHandler}. The bean's proxies apply ({@code @Transactional} on the method joins the
 * worker's transaction in transactional idempotency mode).
 *
 * <pre>{@code
 * @Component
 * class Shipping {
 *   @SqsWorkerHandler("orders")
 *   @Transactional
 *   public void ship(OrderPlaced order, MessageContext context) { ... }
 * }
 * }</pre>
 *
 * <p>The queue and every other option still come from {@code sqsworker.workers.<value>.*}; its
 * {@code handler} property must then be left out.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SqsWorkerHandler {

  /** The worker's name: its key under {@code sqsworker.workers}. */
  String value();
}
