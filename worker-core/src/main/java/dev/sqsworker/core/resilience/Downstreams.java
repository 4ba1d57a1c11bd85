package dev.sqsworker.core.resilience;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.resilience.internal.DefaultDownstreams;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The registry of a process's {@link Downstream}s, one per name, each with its own circuit breaker,
 * retry, rate limiter, bulkhead and time limiter. Share one registry between the workers of a
 * process so that they share a downstream's breaker and limits. Close it at shutdown.
 *
 * <pre>{@code
 * Downstreams downstreams = Downstreams.builder()
 *     .downstream("payments", DownstreamConfig.builder().rate(50, Duration.ofSeconds(1)).build())
 *     .environment(System.getenv())
 *     .meterRegistry(registry)
 *     .build();
 * Downstream payments = downstreams.get("payments");
 * Worker worker = Worker.builder()...pauseWhileOpen(payments).build();
 * }</pre>
 */
public interface Downstreams extends AutoCloseable {

  /** Starts building a registry. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The downstream of this name, created on first use with its configuration: the one given to
   * {@link Builder#downstream}, else the defaults, with its environment variables applied on top.
   */
  Downstream get(String name);

  /** The downstreams created so far, in the order they were created. */
  List<Downstream> all();

  /**
   * Why global rate limits run on this task's share alone, by downstream name: those whose database
   * is unreachable now (e.g. for health).
   */
  default Map<String, String> globalRateLimitFallbacks() {
    Map<String, String> fallbacks = new LinkedHashMap<>();
    for (Downstream d : all()) {
      d.globalRateLimitFallback().ifPresent(reason -> fallbacks.put(d.name(), reason));
    }
    return fallbacks;
  }

  /** The circuit breaker state of every downstream created so far, by name (e.g. for readiness). */
  Map<String, CircuitBreaker.State> breakerStates();

  /** Stops the threads that run calls. Calls under way are interrupted. */
  @Override
  void close();

  /** Builds {@link Downstreams}. */
  final class Builder {
    private DownstreamConfig defaults = DownstreamConfig.defaults();
    private final Map<String, DownstreamConfig> configs = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();
    private ErrorClassifier classifier = ErrorClassifier.standard();
    private MeterRegistry meterRegistry;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private LongSupplier nanoTime = System::nanoTime;
    private DataSource globalRateStore;

    private Builder() {}

    /**
     * The configuration of downstreams without their own; default {@link
     * DownstreamConfig#defaults()}.
     */
    public Builder defaults(DownstreamConfig defaults) {
      this.defaults = Objects.requireNonNull(defaults, "defaults");
      return this;
    }

    /** The configuration of one downstream. */
    public Builder downstream(String name, DownstreamConfig config) {
      configs.put(requireName(name), Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * Environment variables ({@code SQSWORKER_DOWNSTREAM_<NAME>_<OPTION>}) that override the
     * configurations in code. Every such variable is checked when the registry is built.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** How failures are sorted; default {@link ErrorClassifier#standard()}. */
    public Builder classifier(ErrorClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /**
     * Where resilience4j's metrics go (breaker state, calls by outcome, retries, rate-limiter
     * waits, bulkhead slots, timeouts), tagged with the downstream's name; default nowhere.
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Where the calls' observations go: each call (retries included) is a {@code
     * sqsworker.downstream.call} observation, a child of the message being handled on the caller's
     * thread. Default {@link ObservationRegistry#NOOP}: none.
     */
    public Builder observationRegistry(ObservationRegistry observationRegistry) {
      this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
      return this;
    }

    /**
     * The PostgreSQL database that holds the buckets of the {@link
     * DownstreamConfig#globalRateLimit() global rate limits}, shared by every task that uses it;
     * required when a downstream has one. Its table is created with Flyway ({@link
     * RateLimitSchema}) before the first call.
     */
    public Builder globalRateStore(DataSource dataSource) {
      this.globalRateStore = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** The wall clock of the breakers' open times; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The random source of the retry jitter, values in {@code [0, 1)}; for tests. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The monotonic time source that adaptive limits measure calls with; for tests. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * Builds the registry.
     *
     * @throws ConfigurationException naming every invalid environment variable
     */
    public Downstreams build() {
      return new DefaultDownstreams(
          new DefaultDownstreams.Parts(
              defaults,
              Map.copyOf(configs),
              environment,
              classifier,
              meterRegistry,
              clock,
              random,
              nanoTime,
              observationRegistry,
              globalRateStore));
    }

    private static String requireName(String name) {
      if (name == null || name.isBlank() || name.length() > 64) {
        throw new IllegalArgumentException(
            "downstream name must be 1 to 64 characters, was '" + name + "'");
      }
      return name;
    }
  }
}
