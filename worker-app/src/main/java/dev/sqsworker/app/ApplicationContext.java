package dev.sqsworker.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a {@link WorkerApplication} holds and shares with its {@link WorkerCustomizer}s: the
 * environment it was built from, the pooled PostgreSQL {@link DataSource} when JDBC is configured,
 * the registry its metrics go to, and the list of readiness checks.
 */
public interface ApplicationContext {

  /** The environment variables the application was built from. */
  Map<String, String> environment();

  /**
   * The pooled data source, present when {@code SQSWORKER_JDBC_URL} is set. The application owns
   * it: it closes it after the workers have drained.
   */
  Optional<DataSource> dataSource();

  /** The registry that {@code /metrics} serves. */
  MeterRegistry meterRegistry();

  /**
   * The registry the workers' observations go to: give it to {@link
   * dev.sqsworker.core.resilience.Downstreams.Builder#observationRegistry} so that the handler's
   * downstream calls are child spans of the message's. A no-op unless tracing is on ({@code
   * OTEL_EXPORTER_OTLP_ENDPOINT}).
   */
  default ObservationRegistry observationRegistry() {
    return ObservationRegistry.NOOP;
  }

  /**
   * Adds a named check to {@code /health/ready} (e.g. {@code breaker:payments}).
   *
   * @throws IllegalArgumentException if the name is taken
   */
  void addHealthContributor(String name, HealthContributor contributor);
}
