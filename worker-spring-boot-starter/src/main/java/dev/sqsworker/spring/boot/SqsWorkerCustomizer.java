package dev.sqsworker.spring.boot;

import dev.sqsworker.core.Worker;

/**
 * Changes a worker's builder after the starter has applied the {@code sqsworker.workers.<name>.*}
 * properties and before the worker is built: a Jackson mapper, an executor, a dead-letter
 * publisher, more downstreams to pause on. Declare beans of this type; they are applied in their
 * {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * SqsWorkerCustomizer ordersMapper(ObjectMapper mapper) {
 *   return (name, builder) -> {
 *     if (name.equals("orders")) builder.objectMapper(mapper);
 *   };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SqsWorkerCustomizer {

  /**
   * Customizes one worker.
   *
   * @param workerName the worker's name (the key under {@code sqsworker.workers})
   * @param builder its builder, with client, configuration, handler and idempotency already set
   */
  void customize(String workerName, Worker.Builder builder);
}
