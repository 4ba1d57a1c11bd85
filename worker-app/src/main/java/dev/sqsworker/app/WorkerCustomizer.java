package dev.sqsworker.app;

import dev.sqsworker.core.Worker;

/**
 * Adjusts the worker a {@link WorkerApplication} builds before it is built: adds an idempotency
 * store over the application's {@link ApplicationContext#dataSource() DataSource}, a dead-letter
 * publisher, a pause condition's health, and so on.
 *
 * <p>Customizers come from {@link WorkerApplication.Builder#customizer} and from {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.sqsworker.app.WorkerCustomizer}), so a
 * library on the image's classpath can plug in without code in the entry point. They run in that
 * order, after the application has set the client, configuration, handler and meter registry.
 */
@FunctionalInterface
public interface WorkerCustomizer {

  /**
   * Customizes one worker's builder.
   *
   * @param worker the builder, with client, configuration, handler and meter registry set
   * @param context what the application holds: its environment, database pool and metrics
   * @throws dev.sqsworker.core.ConfigurationException when the environment does not allow it
   */
  void customize(Worker.Builder worker, ApplicationContext context);
}
