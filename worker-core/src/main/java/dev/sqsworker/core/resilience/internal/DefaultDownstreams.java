package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.core.resilience.ErrorClassifier;
import dev.sqsworker.core.resilience.RateLimitSchema;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/** The {@link Downstreams} implementation: resilience4j registries, bound to Micrometer. */
public final class DefaultDownstreams implements Downstreams {

  /** Bound of one downstream's call threads (calls that ignore interruption can pile up). */
  private static final int MAX_CALL_THREADS = 1024;

  /**
   * What the registry is built from.
   *
   * @param defaults configuration of downstreams without their own
   * @param configs configurations by name
   * @param environment the environment variables
   * @param classifier sorts failures
   * @param meterRegistry where metrics go, or null
   * @param clock the wall clock
   * @param random the jitter's random source
   * @param nanos monotonic time, to measure calls for adaptive limits
   * @param observationRegistry where the calls' observations go; NOOP for none
   * @param globalRateStore the database of the global rate limits' buckets, or null
   */
  public record Parts(
      DownstreamConfig defaults,
      Map<String, DownstreamConfig> configs,
      Map<String, String> environment,
      ErrorClassifier classifier,
      MeterRegistry meterRegistry,
      Clock clock,
      DoubleSupplier random,
      LongSupplier nanos,
      ObservationRegistry observationRegistry,
      DataSource globalRateStore) {}

  private final Parts parts;
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final RetryRegistry retries = RetryRegistry.ofDefaults();
  private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
  private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
  private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
  private final Map<String, Downstream> byName = new ConcurrentHashMap<>();
  private final List<Downstream> created = new CopyOnWriteArrayList<>();
  private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
  private final ProxyManager<String> buckets;
  private final AtomicBoolean schemaReady = new AtomicBoolean();

  /**
   * Creates the registry and checks the configuration of every downstream named in code or in the
   * environment.
   *
   * @throws ConfigurationException naming every problem
   */
  public DefaultDownstreams(Parts parts) {
    this.parts = parts;
    List<String> problems = new ArrayList<>();
    for (String name : namesToCheck(parts, problems)) {
      try {
        DownstreamConfig config = configFor(name);
        if (config.globalRateLimit() > 0 && parts.globalRateStore() == null) {
          problems.add(needsStore(name));
        }
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    this.buckets =
        parts.globalRateStore() == null
            ? null
            : Bucket4jPostgreSQL.selectForUpdateBasedBuilder(parts.globalRateStore())
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(RateLimitSchema.TABLE)
                .idColumn("id")
                .stateColumn("state")
                // Every task's clock decides when tokens refill: wall time, the same everywhere.
                .clientClock(new WallClock(parts.clock()))
                .build();
    if (parts.meterRegistry() != null) {
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(parts.meterRegistry());
      TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(parts.meterRegistry());
      TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(parts.meterRegistry());
      TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(parts.meterRegistry());
      TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters).bindTo(parts.meterRegistry());
    }
  }

  /** The names configured in code, and those that environment variables mention. */
  private static Set<String> namesToCheck(Parts parts, List<String> problems) {
    Set<String> names = new LinkedHashSet<>(parts.configs().keySet());
    List<String> suffixes = new ArrayList<>(DownstreamConfig.ENVIRONMENT_OPTIONS);
    suffixes.sort(Comparator.comparingInt(String::length).reversed());
    for (String variable : parts.environment().keySet()) {
      if (!variable.startsWith(DownstreamConfig.ENV_PREFIX)) {
        continue;
      }
      String rest = variable.substring(DownstreamConfig.ENV_PREFIX.length());
      String name =
          suffixes.stream()
              .filter(s -> rest.endsWith("_" + s) && rest.length() > s.length() + 1)
              .findFirst()
              .map(s -> rest.substring(0, rest.length() - s.length() - 1))
              .orElse(null);
      if (name == null) {
        problems.add(
            variable
                + ": not a downstream option; use "
                + DownstreamConfig.ENV_PREFIX
                + "<NAME>_ followed by one of "
                + DownstreamConfig.ENVIRONMENT_OPTIONS);
      } else {
        names.add(name);
      }
    }
    return names;
  }

  private static String needsStore(String name) {
    return "downstream '"
        + name
        + "': globalRateLimit needs a database for its shared bucket:"
        + " Downstreams.builder().globalRateStore(dataSource)";
  }

  /** Creates the buckets' table once; a failure (database down) is tried again next time. */
  private void ensureSchema() {
    if (!schemaReady.get()) {
      synchronized (schemaReady) {
        if (!schemaReady.get()) {
          RateLimitSchema.migrate(parts.globalRateStore());
          schemaReady.set(true);
        }
      }
    }
  }

  private DownstreamConfig configFor(String name) {
    DownstreamConfig base = parts.configs().getOrDefault(name, parts.defaults());
    return base.toBuilder().environment(name, parts.environment()).build();
  }

  @Override
  public Downstream get(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("downstream name must not be empty");
    }
    return byName.computeIfAbsent(name, this::create);
  }

  private Downstream create(String name) {
    DownstreamConfig config = configFor(name);
    ErrorClassifier classifier = parts.classifier();
    CircuitBreaker breaker =
        breakers.circuitBreaker(
            name,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(config.breakerFailureRate())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.breakerWindow())
                .minimumNumberOfCalls(config.breakerMinCalls())
                .waitDurationInOpenState(config.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(config.breakerHalfOpenCalls())
                // Half-open comes on time, without a call, so paused polling resumes by itself.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .ignoreException(DefaultDownstream::isLocalRejection)
                .recordException(e -> DefaultDownstream.recordedAsFailure(classifier, e))
                .clock(parts.clock())
                .build());
    Retry retry =
        retries.retry(
            name,
            RetryConfig.<Object>custom()
                .maxAttempts(config.retryAttempts())
                .retryOnException(e -> DefaultDownstream.retryable(config, classifier, e))
                .intervalBiFunction(
                    new RetryWait(config.retryBase(), config.retryCap(), parts.random()))
                .build());
    RateLimiter rateLimiter = null;
    if (config.rateLimit() > 0) {
      rateLimiter =
          rateLimiters.rateLimiter(
              name,
              RateLimiterConfig.custom()
                  .limitForPeriod(config.rateLimit())
                  .limitRefreshPeriod(config.ratePeriod())
                  .timeoutDuration(config.maxWait())
                  .build());
    }
    Bulkhead bulkhead = null;
    if (config.maxConcurrent() > 0) {
      bulkhead =
          bulkheads.bulkhead(
              name,
              BulkheadConfig.custom()
                  .maxConcurrentCalls(config.maxConcurrent())
                  .maxWaitDuration(config.maxWait())
                  .build());
    }
    TimeLimiter timeLimiter =
        timeLimiters.timeLimiter(
            name,
            TimeLimiterConfig.custom()
                .timeoutDuration(config.timeout())
                .cancelRunningFuture(true)
                .build());
    ExecutorService calls = callThreads(name);
    executors.add(calls);
    AimdLimit adaptiveLimit = null;
    ExecutorService limitAdjuster = null;
    if (config.adaptiveConcurrency()) {
      adaptiveLimit = new AimdLimit(config.maxConcurrent(), config.adaptiveLatency().toNanos());
      limitAdjuster =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "sqsworker-downstream-" + name + "-limit");
                thread.setDaemon(true);
                return thread;
              });
      executors.add(limitAdjuster);
    }
    GlobalRateLimit globalRate = null;
    if (config.globalRateLimit() > 0) {
      if (buckets == null) {
        throw new IllegalStateException(needsStore(name));
      }
      ExecutorService probes =
          new ThreadPoolExecutor(
              0,
              1,
              30,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              runnable -> {
                Thread thread =
                    new Thread(runnable, "sqsworker-downstream-" + name + "-rate-probe");
                thread.setDaemon(true);
                return thread;
              });
      executors.add(probes);
      globalRate =
          new GlobalRateLimit(name, config, buckets, this::ensureSchema, parts.nanos(), probes);
      if (parts.meterRegistry() != null) {
        GlobalRateLimit limit = globalRate;
        Gauge.builder(
                "sqsworker.downstream.global.rate.fallback",
                limit,
                l -> l.fallbackReason().isPresent() ? 1 : 0)
            .description("1 while the global rate limit runs on this task's share alone")
            .tag("name", name)
            .register(parts.meterRegistry());
        FunctionCounter.builder(
                "sqsworker.downstream.global.rate.reservations",
                limit,
                GlobalRateLimit::reservations)
            .description("requests to the database for batches of global permits")
            .tag("name", name)
            .register(parts.meterRegistry());
      }
    }
    Downstream downstream =
        new DefaultDownstream(
            name,
            config,
            classifier,
            parts.clock(),
            new DefaultDownstream.Layers(
                retry, breaker, rateLimiter, bulkhead, timeLimiter, adaptiveLimit, globalRate),
            calls,
            limitAdjuster,
            parts.nanos());
    if (!parts.observationRegistry().isNoop()) {
      downstream = new ObservedDownstream(downstream, parts.observationRegistry());
    }
    created.add(downstream);
    return downstream;
  }

  private static ExecutorService callThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        MAX_CALL_THREADS,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread =
              new Thread(runnable, "sqsworker-downstream-" + name + "-" + n.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public List<Downstream> all() {
    return List.copyOf(created);
  }

  @Override
  public Map<String, CircuitBreaker.State> breakerStates() {
    Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
    for (Downstream d : created) {
      states.put(d.name(), d.breakerState());
    }
    return states;
  }

  @Override
  public void close() {
    for (ExecutorService executor : executors) {
      executor.shutdownNow();
    }
  }

  /** Bucket4j's view of the wall clock, in nanoseconds. */
  private record WallClock(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
