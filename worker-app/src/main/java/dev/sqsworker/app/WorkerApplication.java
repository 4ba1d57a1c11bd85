package dev.sqsworker.app;

import com.fasterxml.jackson.databind.JavaType;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.app.internal.AppSettings;
import dev.sqsworker.app.internal.DnsCache;
import dev.sqsworker.app.internal.EcsTaskProtectionClient;
import dev.sqsworker.app.internal.HandlerActivity;
import dev.sqsworker.app.internal.HandlerType;
import dev.sqsworker.app.internal.HealthServer;
import dev.sqsworker.app.internal.PayloadBuckets;
import dev.sqsworker.app.internal.PoolHealth;
import dev.sqsworker.app.internal.Pools;
import dev.sqsworker.app.internal.Readiness;
import dev.sqsworker.app.internal.ScaleInProtection;
import dev.sqsworker.app.internal.ScaleInProtectionPolicy;
import dev.sqsworker.app.internal.Tracing;
import dev.sqsworker.app.internal.UnknownVariables;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.SqsRequestCounter;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerHealth;
import dev.sqsworker.core.idempotency.Idempotency;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/**
 * A worker process configured by environment variables only: the entry point of the container image
 * that runs as an ECS task.
 *
 * <p>It reads the {@code SQSWORKER_*} worker options ({@link
 * dev.sqsworker.core.WorkerConfig.Builder#environment(Map)}) and the variables of {@link
 * EnvironmentVariables}, and reports every missing or invalid one together in one {@link
 * ConfigurationException}. Started, it runs the worker, serves {@code /health/live}, {@code
 * /health/ready} and {@code /metrics} (Prometheus text, worker and JVM metrics) on {@code
 * SQSWORKER_HTTP_PORT}, and on ECS keeps the task protected from scale-in while messages are in
 * flight. {@link #close()} (also on SIGTERM, once {@link #registerShutdownHook()} was called) stops
 * polling, drains in-flight messages within the worker's shutdown grace, releases the protection,
 * and closes the HTTP server, the database pool and the SQS and S3 clients, in that order.
 *
 * <p>When a worker has a large-payload bucket ({@code SQSWORKER_LARGE_PAYLOAD_BUCKET}, or {@code
 * SQSWORKER_<NAME>_LARGE_PAYLOAD_BUCKET} per worker), the application builds one S3 client for all
 * of them from the same region, credentials and endpoint settings as the SQS client ({@code
 * AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, path-style), and {@link #start()} checks that
 * each bucket exists and can be read.
 *
 * <pre>{@code
 * try (var app = WorkerApplication.fromEnvironment(System.getenv())) {
 *   app.start();
 *   app.awaitStopped();
 * }
 * }</pre>
 */
public final class WorkerApplication implements AutoCloseable {

  /** The application's lifecycle. */
  public enum State {
    /** Built, not started. */
    NEW,
    /** Workers running, HTTP server serving. */
    RUNNING,
    /** Draining: {@code /health/live} still answers, {@code /health/ready} does not. */
    STOPPING,
    /** Everything closed. */
    STOPPED
  }

  private static final Logger LOG = LoggerFactory.getLogger(WorkerApplication.class);

  private final AppSettings settings;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final SqsAsyncClient sqs;
  private final S3AsyncClient s3;
  private final HikariDataSource pool;
  private final Tracing tracing;
  private final List<Worker> workers;
  private final Readiness readiness;
  private final HandlerActivity activity = new HandlerActivity();
  private final HealthServer server;
  private final ScaleInProtection protection;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Thread shutdownHook;

  private WorkerApplication(Builder b, AppSettings settings) {
    this.settings = settings;
    this.clock = b.clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.gcMetrics = new JvmGcMetrics();
    this.readiness = new Readiness();
    List<AutoCloseable> created = new ArrayList<>(List.of(registry::close, gcMetrics, readiness));
    try {
      bindJvmMetrics();
      this.tracing = Tracing.of(b.environment, b.spanProcessor);
      created.add(tracing);
      this.sqs = sqsClient(settings, registry);
      created.add(sqs);
      this.s3 =
          settings.largePayloads() ? PayloadBuckets.client(settings, credentials(settings)) : null;
      if (s3 != null) {
        created.add(s3);
      }
      this.pool = settings.jdbc().map(jdbc -> Pools.create(jdbc, registry)).orElse(null);
      if (pool != null) {
        created.add(pool);
      }
      Context context =
          new Context(
              b.environment,
              Optional.ofNullable(pool),
              registry,
              tracing.observationRegistry(),
              new LinkedHashMap<>());
      List<Worker> built = new ArrayList<>();
      for (AppSettings.WorkerSettings ws : settings.workers()) {
        Worker worker = buildWorker(b, context, ws);
        built.add(worker);
        // The application's own checks first, then the builder's, then the customizers'.
        readiness.add("worker:" + ws.worker().queueName(), () -> workerCheck(worker));
      }
      this.workers = List.copyOf(built);
      if (pool != null) {
        readiness.add("postgresql", new PoolHealth(pool));
      }
      b.healthContributors.forEach(readiness::add);
      context.contributors().forEach(readiness::add);
      this.server =
          new HealthServer(
              settings.httpPort(), () -> state.get() != State.STOPPED, readiness, registry);
      created.add(server);
      this.protection =
          settings
              .ecsAgentUri()
              .map(
                  uri ->
                      new ScaleInProtection(
                          new EcsTaskProtectionClient(uri),
                          new ScaleInProtectionPolicy(
                              ScaleInProtection.PROTECT_FOR,
                              ScaleInProtection.RENEW_BEFORE,
                              ScaleInProtection.IDLE_DEBOUNCE,
                              ScaleInProtection.RETRY_DELAY),
                          activity::running,
                          clock,
                          ScaleInProtection.TICK))
              .orElse(null);
    } catch (RuntimeException e) {
      closeAll(created);
      throw e;
    }
  }

  /** Starts building an application; {@link Builder#environment(Map)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an application (not started) from environment variables only, with the customizers found
   * by {@link ServiceLoader}.
   *
   * @throws ConfigurationException listing every missing or invalid setting
   */
  public static WorkerApplication fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  /**
   * The container's entry point: builds from {@link System#getenv()}, registers the shutdown hook,
   * starts, and returns when the application has stopped. Exits with status 2 on a configuration
   * problem and 1 when the worker cannot start.
   */
  public static void main(String[] args) {
    WorkerApplication app;
    try {
      app = fromEnvironment(System.getenv());
    } catch (ConfigurationException e) {
      LOG.error("Cannot start: {}", e.getMessage());
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    app.registerShutdownHook();
    try {
      app.start();
    } catch (RuntimeException e) {
      // The reason in the message itself and as one plain line on stderr, not only nested in the
      // JSON event's stack trace.
      String reason = "Cannot start the worker: " + oneLine(e);
      LOG.error(reason, e);
      System.err.println(reason);
      app.close();
      System.exit(1);
      return;
    }
    try {
      app.awaitStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A failure on one line: its message and, where it differs, its root cause's. */
  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    if (root != e && root.getMessage() != null && !line.contains(root.getMessage())) {
      line += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return line.replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * Starts the workers, the HTTP server and scale-in protection.
   *
   * @throws ConfigurationException if a queue or a large-payload bucket does not exist or cannot be
   *     used
   * @throws IllegalStateException if already started
   */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("application was already started (" + state.get() + ")");
    }
    // The health server first, so a failing start is still visible as "not ready".
    server.start();
    if (s3 != null) {
      PayloadBuckets.check(s3, settings.workers());
    }
    workers.forEach(Worker::start);
    if (protection != null) {
      protection.start();
    }
    LOG.info(
        "Worker application started: {}, HTTP port {}, database {}, scale-in protection {}",
        settings.workers().stream()
            .map(
                w ->
                    "worker "
                        + w.name()
                        + " (queue "
                        + w.worker().queueUrl()
                        + ", handler "
                        + w.handler().handlerClass().getName()
                        + w.worker()
                            .largePayloadBucket()
                            .map(bucket -> ", large payloads in s3://" + bucket)
                            .orElse("")
                        + ")")
            .collect(java.util.stream.Collectors.joining(", ")),
        server.port(),
        // Without the query string, where a JDBC URL may carry a password.
        pool == null ? "none" : settings.jdbc().orElseThrow().url().replaceFirst("\\?.*", ""),
        protection == null ? "off" : "on");
  }

  /**
   * Drains and closes everything: workers (within their shutdown grace), scale-in protection, the
   * HTTP server, the database pool, the SQS and S3 clients and the metrics. Idempotent: a call
   * while another is closing waits for it to finish.
   */
  @Override
  public void close() {
    State previous = state.getAndUpdate(s -> s == State.STOPPED ? s : State.STOPPING);
    if (previous == State.STOPPING || previous == State.STOPPED) {
      // Another caller (e.g. the shutdown hook) is closing: return only when it is done, so the
      // JVM cannot exit in the middle of the drain.
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    LOG.info("Worker application stopping");
    try {
      closeWorkers();
    } finally {
      List<AutoCloseable> parts = new ArrayList<>();
      if (protection != null) {
        parts.add(protection);
      }
      parts.add(server);
      if (pool != null) {
        parts.add(pool);
      }
      parts.add(sqs);
      if (s3 != null) {
        parts.add(s3);
      }
      // After the workers: the spans of the last messages are exported before the SDK stops.
      parts.add(tracing);
      parts.add(readiness);
      parts.add(gcMetrics);
      parts.add(registry::close);
      closeAll(parts);
      state.set(State.STOPPED);
      removeShutdownHook();
      stopped.countDown();
      LOG.info("Worker application stopped");
    }
  }

  /**
   * Closes the workers at once, each on its own thread, so that all of them drain within one
   * shutdown grace (the longest), not one grace after another.
   */
  private void closeWorkers() {
    if (workers.size() == 1) {
      workers.get(0).close();
      return;
    }
    List<Thread> closing = new ArrayList<>();
    for (Worker worker : workers) {
      Thread thread =
          new Thread(worker::close, "sqsworker-app-close-" + worker.config().queueName());
      thread.start();
      closing.add(thread);
    }
    for (Thread thread : closing) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /**
   * Registers a JVM shutdown hook that calls {@link #close()}, so SIGTERM (ECS stopping the task)
   * drains the workers within their grace. Idempotent.
   */
  public synchronized void registerShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::close, "sqsworker-app-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** The lifecycle state. */
  public State state() {
    return state.get();
  }

  /** The port the HTTP server listens on (the chosen one when configured as 0). */
  public int httpPort() {
    return server.port();
  }

  /** The workers, one per configured queue. */
  public List<Worker> workers() {
    return workers;
  }

  /** The pooled database, when JDBC is configured; owned by the application. */
  public Optional<DataSource> dataSource() {
    return Optional.ofNullable(pool);
  }

  /** The registry {@code /metrics} serves. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  private synchronized void removeShutdownHook() {
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down.
      }
    }
  }

  private HealthCheck workerCheck(Worker worker) {
    WorkerHealth health = worker.health();
    String summary =
        health.state()
            + ", "
            + health.pollersAlive()
            + "/"
            + health.pollers()
            + " pollers, "
            + activity.running()
            + " handling"
            + health.pausedBy().map(p -> ", paused: " + p).orElse("")
            + (health.detail().isEmpty() ? "" : ": " + health.detail());
    return new HealthCheck(health.healthy(), summary);
  }

  private void bindJvmMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Worker buildWorker(Builder b, Context context, AppSettings.WorkerSettings ws) {
    MessageHandler<?> handler = ws.handler().instantiate(context.dataSource());
    // Every worker's meters carry its name, so one /metrics tells the workers apart.
    CompositeMeterRegistry tagged = new CompositeMeterRegistry();
    tagged.config().commonTags("worker", ws.name());
    tagged.add(registry);
    Worker.Builder worker =
        Worker.builder()
            .client(sqs)
            .config(ws.worker())
            .meterRegistry(tagged)
            .observationRegistry(tracing.observationRegistry())
            .clock(clock);
    if (ws.worker().largePayloadBucket().isPresent()) {
      worker.s3Client(s3);
    }
    withHandler(worker, ws.handler(), activity.count(handler));
    ws.idempotency()
        .ifPresent(
            idem ->
                worker.idempotency(
                    Idempotency.postgres(context.dataSource().orElseThrow())
                        .mode(idem.mode())
                        .ttl(idem.ttl())
                        .keyAttribute(idem.keyAttribute())
                        .build()));
    List<WorkerCustomizer> customizers = new ArrayList<>(b.customizers);
    ServiceLoader.load(WorkerCustomizer.class).forEach(customizers::add);
    for (WorkerCustomizer customizer : customizers) {
      customizer.customize(worker, context);
    }
    return worker.build();
  }

  @SuppressWarnings("unchecked")
  private static void withHandler(
      Worker.Builder worker, HandlerType handlerType, MessageHandler<?> handler) {
    // HandlerType read the payload type from this very handler's MessageHandler<T>.
    JavaType type = handlerType.payloadType();
    if (type.containedTypeCount() == 0) {
      // Through the Class overload, which gives String and byte[] the raw body.
      worker.handler((Class<Object>) type.getRawClass(), (MessageHandler<Object>) handler);
    } else {
      worker.handler(type, (MessageHandler<Object>) handler);
    }
  }

  private static SqsAsyncClient sqsClient(AppSettings settings, MeterRegistry registry) {
    SqsAsyncClientBuilder builder =
        SqsAsyncClient.builder()
            .region(Region.of(settings.region()))
            .overrideConfiguration(o -> o.addExecutionInterceptor(new SqsRequestCounter(registry)));
    settings.sqsEndpoint().ifPresent(builder::endpointOverride);
    return builder.credentialsProvider(credentials(settings)).build();
  }

  /** Static credentials from the environment, else the SDK's default chain. */
  private static AwsCredentialsProvider credentials(AppSettings settings) {
    return settings
        .credentials()
        .<AwsCredentialsProvider>map(
            c ->
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("Could not close {}", part.getClass().getSimpleName(), e);
      }
    }
  }

  /** Builds a {@link WorkerApplication}. */
  public static final class Builder {
    private Map<String, String> environment;
    private final List<WorkerCustomizer> customizers = new ArrayList<>();
    private final Map<String, HealthContributor> healthContributors = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private SpanProcessor spanProcessor;

    private Builder() {}

    /**
     * Sends the spans of handled messages and downstream calls to this processor (e.g. a {@code
     * BatchSpanProcessor} over any exporter) instead of the OTLP export that {@code
     * OTEL_EXPORTER_OTLP_ENDPOINT} turns on. Without either, nothing is traced.
     */
    public Builder spanProcessor(SpanProcessor spanProcessor) {
      this.spanProcessor = Objects.requireNonNull(spanProcessor, "spanProcessor");
      return this;
    }

    /** The environment variables to read, e.g. {@link System#getenv()}. Required. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Adds a customizer; it runs before those found by {@link ServiceLoader}. */
    public Builder customizer(WorkerCustomizer customizer) {
      customizers.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /** Adds a named readiness check to {@code /health/ready}. */
    public Builder healthContributor(String name, HealthContributor contributor) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(contributor, "contributor");
      if (healthContributors.putIfAbsent(name, contributor) != null) {
        throw new IllegalArgumentException("a health contributor named '" + name + "' exists");
      }
      return this;
    }

    /** The wall clock for the workers and scale-in protection; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Checks every setting and builds the application: the SQS client, the database pool (which
     * connects lazily), the handler and the worker, bound but not started. Unless configured
     * already, it sets the JVM's DNS cache TTL ({@code networkaddress.cache.ttl}) to 5 s, so a
     * database failover that moves the endpoint is followed.
     *
     * @throws ConfigurationException listing every missing or invalid setting
     */
    public WorkerApplication build() {
      if (environment == null) {
        throw new ConfigurationException(
            List.of("environment is required: WorkerApplication.builder().environment(map)"));
      }
      UnknownVariables.warnings(environment).forEach(LOG::warn);
      // Before anything resolves a name: the JVM reads the TTL once.
      DnsCache.applyDefault();
      return new WorkerApplication(this, AppSettings.fromEnvironment(environment));
    }
  }

  private record Context(
      Map<String, String> environment,
      Optional<DataSource> dataSource,
      MeterRegistry meterRegistry,
      ObservationRegistry observationRegistry,
      Map<String, HealthContributor> contributors)
      implements ApplicationContext {

    @Override
    public void addHealthContributor(String name, HealthContributor contributor) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(contributor, "contributor");
      if (contributors.putIfAbsent(name, contributor) != null) {
        throw new IllegalArgumentException("a health contributor named '" + name + "' exists");
      }
    }
  }
}
