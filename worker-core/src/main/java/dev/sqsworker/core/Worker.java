package dev.sqsworker.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.internal.DefaultWorker;
import dev.sqsworker.core.internal.admit.LargePayloads;
import dev.sqsworker.core.internal.admit.PayloadDecoder;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.core.resilience.internal.OpenBreakers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Consumes one SQS queue with a {@link MessageHandler} (or a {@link BatchMessageHandler}): receives
 * in batches with long polling, handles up to {@link WorkerConfig#concurrency()} messages at once,
 * keeps them invisible while they run, deletes them in batches when they succeed, retries failures
 * after a backoff and dead-letters what cannot be handled, with the reason.
 *
 * <pre>{@code
 * Worker worker = Worker.builder()
 *     .client(sqsAsyncClient)
 *     .config(WorkerConfig.builder().queueUrl(url).concurrency(20).build())
 *     .handler(Order.class, (order, context) -> orders.ship(order))
 *     .build();
 * worker.start();
 * // ... on shutdown:
 * worker.close();
 * }</pre>
 *
 * <p>Several workers (queues) can run in one process, each with its own threads. A worker is
 * started once and cannot be restarted after {@link #close()}.
 *
 * <p>The worker's threads are daemon threads: they never keep a JVM alive on their own. A {@code
 * main()} that should run until the process is stopped calls {@link #run()} (or {@link #start()}
 * then {@link #awaitTermination()}) after {@link #registerShutdownHook()}: SIGTERM then drains the
 * worker and {@code run()} returns.
 */
public interface Worker extends AutoCloseable {

  /** A worker's lifecycle. */
  enum State {
    /** Built, not started. */
    NEW,
    /** Receiving and handling messages. */
    RUNNING,
    /** Shutting down: no new receives, in-flight handlers finishing. */
    STOPPING,
    /** Closed: every thread stopped. */
    STOPPED
  }

  /** Starts building a worker. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Checks the queues and starts receiving.
   *
   * @throws ConfigurationException if the queue or its dead-letter queue does not exist or cannot
   *     be used
   * @throws IllegalStateException if already started
   */
  void start();

  /**
   * Starts the worker and blocks until it is closed: by {@link #close()} from another thread, or by
   * the shutdown hook ({@link #registerShutdownHook()}) when the process is asked to stop. The
   * blocking entry point for a {@code main()}.
   *
   * @throws ConfigurationException as {@link #start()}
   * @throws InterruptedException if the calling thread is interrupted while it waits (the worker
   *     keeps running)
   */
  default void run() throws InterruptedException {
    start();
    awaitTermination();
  }

  /**
   * Blocks until the worker has stopped ({@link State#STOPPED}): closed, or failed to start.
   *
   * @throws InterruptedException if the calling thread is interrupted while it waits
   */
  void awaitTermination() throws InterruptedException;

  /**
   * Blocks until the worker has stopped, or the timeout has passed.
   *
   * @return whether the worker has stopped
   * @throws InterruptedException if the calling thread is interrupted while it waits
   */
  boolean awaitTermination(java.time.Duration timeout) throws InterruptedException;

  /**
   * Shuts down gracefully: stops receiving, releases received messages that have not started, waits
   * for running handlers up to the configured grace, flushes deletions and stops every thread.
   * Idempotent.
   */
  @Override
  void close();

  /** Whether the worker is running, its pollers are alive and SQS answers. */
  boolean isHealthy();

  /** A detailed health snapshot. */
  WorkerHealth health();

  /** The lifecycle state. */
  State state();

  /** The configuration the worker was built with. */
  WorkerConfig config();

  /**
   * Registers a JVM shutdown hook that closes this worker (so SIGTERM, e.g. from ECS, drains it
   * within the grace period).
   */
  void registerShutdownHook();

  /** Builds a {@link Worker}. */
  final class Builder {
    private SqsAsyncClient client;
    private WorkerConfig config;
    private PayloadDecoder<?> decoder;
    private MessageHandler<?> handler;
    private BatchMessageHandler<?> batchHandler;
    private ObjectMapper objectMapper;
    private MeterRegistry meterRegistry;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private ExecutorService executor;
    private DeadLetterPublisher deadLetterPublisher;
    private Clock clock = Clock.systemUTC();
    private Idempotency idempotency;
    private S3AsyncClient s3Client;
    private final java.util.List<Downstream> pauseWhileOpen = new java.util.ArrayList<>();

    private Builder() {}

    /**
     * Pauses polling while the circuit breaker of any of these downstreams is open, and resumes
     * when it lets trial calls through (half-open) — by itself, without traffic. The handler's
     * calls refused by an open breaker park their message without counting an attempt either way.
     */
    public Builder pauseWhileOpen(Downstream... downstreams) {
      for (Downstream downstream : downstreams) {
        pauseWhileOpen.add(Objects.requireNonNull(downstream, "downstream"));
      }
      return this;
    }

    /**
     * Declares the downstreams the handler needs, by name: {@link #pauseWhileOpen(Downstream...)}
     * with {@code downstreams.get(name)} for each.
     */
    public Builder dependsOn(Downstreams downstreams, String... names) {
      Objects.requireNonNull(downstreams, "downstreams");
      for (String name : names) {
        pauseWhileOpen.add(downstreams.get(name));
      }
      return this;
    }

    /**
     * Makes effects happen once: each message's idempotency key is claimed before its handler runs
     * (see {@link Idempotency}).
     */
    public Builder idempotency(Idempotency idempotency) {
      this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
      return this;
    }

    /** The SQS client the worker uses; it is not closed by the worker. Required. */
    public Builder client(SqsAsyncClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The S3 client that reads (and, if configured, deletes) large payloads; required with {@link
     * WorkerConfig#largePayloadBucket()}. Not closed by the worker.
     */
    public Builder s3Client(S3AsyncClient s3Client) {
      this.s3Client = Objects.requireNonNull(s3Client, "s3Client");
      return this;
    }

    /** The configuration. Required. */
    public Builder config(WorkerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The handler and the type its payload is decoded into: a class Jackson can bind (records
     * included), {@code String} for the raw body, or {@code byte[]} for its UTF-8 bytes.
     */
    public <T> Builder handler(Class<T> payloadType, MessageHandler<T> handler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The handler for a generic payload type, e.g. {@code new TypeReference<List<Item>>() {}}. */
    public <T> Builder handler(TypeReference<T> payloadType, MessageHandler<T> handler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The handler for a payload type built with the mapper's type factory. */
    public <T> Builder handler(JavaType payloadType, MessageHandler<T> handler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * A batch handler instead of {@link #handler(Class, MessageHandler)}: it gets the admitted
     * messages of each receive (of one group on a FIFO queue) at once and reports an outcome per
     * message (see {@link BatchMessageHandler}). The payload type is read as for {@code handler}.
     */
    public <T> Builder batchHandler(Class<T> payloadType, BatchMessageHandler<T> batchHandler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.batchHandler = Objects.requireNonNull(batchHandler, "batchHandler");
      return this;
    }

    /** The batch handler for a generic payload type. */
    public <T> Builder batchHandler(
        TypeReference<T> payloadType, BatchMessageHandler<T> batchHandler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.batchHandler = Objects.requireNonNull(batchHandler, "batchHandler");
      return this;
    }

    /** The batch handler for a payload type built with the mapper's type factory. */
    public <T> Builder batchHandler(JavaType payloadType, BatchMessageHandler<T> batchHandler) {
      this.decoder = PayloadDecoder.of(Objects.requireNonNull(payloadType, "payloadType"));
      this.batchHandler = Objects.requireNonNull(batchHandler, "batchHandler");
      return this;
    }

    /**
     * The Jackson mapper for payloads; default: records, java.time and Optional supported, unknown
     * properties ignored, missing primitives rejected.
     */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
      return this;
    }

    /** Where metrics go; default: nowhere. */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Where the worker's observations go (see {@link dev.sqsworker.core.observation}): one per
     * message handled, parented by the trace context the message carries, in scope while its
     * handler runs. Default {@link ObservationRegistry#NOOP}: nothing observed, no cost per
     * message.
     */
    public Builder observationRegistry(ObservationRegistry observationRegistry) {
      this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
      return this;
    }

    /**
     * Runs handlers on this executor instead of the worker's own named threads. The worker still
     * bounds concurrency; it does not shut this executor down.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Replaces the default publisher, which sends to the configured dead-letter queue. */
    public Builder deadLetterPublisher(DeadLetterPublisher deadLetterPublisher) {
      this.deadLetterPublisher = Objects.requireNonNull(deadLetterPublisher, "deadLetterPublisher");
      return this;
    }

    /** The wall clock for deadlines and failure times; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the worker (not started).
     *
     * @throws ConfigurationException naming every missing part
     */
    public Worker build() {
      java.util.List<String> problems = new java.util.ArrayList<>();
      if (client == null) {
        problems.add("client is required: Worker.builder().client(SqsAsyncClient)");
      }
      if (config == null) {
        problems.add("config is required: Worker.builder().config(WorkerConfig)");
      }
      if (handler == null && batchHandler == null) {
        problems.add(
            "handler is required: Worker.builder().handler(PayloadType.class, handler) or"
                + " .batchHandler(PayloadType.class, batchHandler)");
      }
      if (handler != null && batchHandler != null) {
        problems.add(
            "handler(...) and batchHandler(...) are exclusive: a worker runs one MessageHandler or"
                + " one BatchMessageHandler; set only one of them");
      }
      if (config != null && config.largePayloadBucket().isPresent() && s3Client == null) {
        problems.add(
            "largePayloadBucket (SQSWORKER_LARGE_PAYLOAD_BUCKET) needs an S3 client:"
                + " Worker.builder().s3Client(S3AsyncClient)");
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      LargePayloads largePayloads =
          config
              .largePayloadBucket()
              .map(bucket -> LargePayloads.fromS3(s3Client, bucket, config.largePayloadDelete()))
              .orElse(LargePayloads.off());
      DefaultWorker worker =
          new DefaultWorker(
              new DefaultWorker.Parts(
                  client,
                  config,
                  decoder.bind(
                      objectMapper != null ? objectMapper : PayloadDecoder.defaultMapper()),
                  handler,
                  meterRegistry != null ? meterRegistry : new CompositeMeterRegistry(),
                  executor,
                  deadLetterPublisher,
                  clock,
                  idempotency,
                  observationRegistry,
                  // The composition root: the one place that picks the system's elapsed time.
                  System::nanoTime,
                  largePayloads,
                  batchHandler));
      if (!pauseWhileOpen.isEmpty()) {
        worker.pauseWhen(new OpenBreakers(pauseWhileOpen));
      }
      return worker;
    }
  }
}
