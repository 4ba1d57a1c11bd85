package dev.sqsworker.bench;

import dev.sqsworker.core.BatchItem;
import dev.sqsworker.core.BatchMessageHandler;
import dev.sqsworker.core.BatchResult;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.SqsRequestCounter;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The measured runs, each on a fresh queue of the embedded SQS server. */
final class Scenarios implements AutoCloseable {

  /** The long-poll wait used by both the baseline and the worker, so they end alike. */
  static final Duration WAIT = Duration.ofSeconds(1);

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final AtomicInteger QUEUES = new AtomicInteger();

  private final LocalSqs sqs;
  private final LongSupplier serverCpuNanos;
  // One event loop for every client: closing a client then does not wait out Netty's quiet period.
  private final SdkEventLoopGroup eventLoop =
      SdkEventLoopGroup.builder().numberOfThreads(4).build();

  /** Scenarios on an in-process server, whose CPU cannot be told from the clients'. */
  Scenarios(LocalSqs sqs) {
    this(sqs, () -> 0);
  }

  /** Scenarios on a server in its own process, whose CPU time {@code serverCpuNanos} reads. */
  Scenarios(LocalSqs sqs, LongSupplier serverCpuNanos) {
    this.sqs = sqs;
    this.serverCpuNanos = serverCpuNanos;
  }

  @Override
  public void close() {
    eventLoop.eventLoopGroup().shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * One throughput round.
   *
   * @param messagesPerSecond messages handled per second
   * @param requestsPerMessage SQS requests per message, all actions
   * @param steadyRequestsPerMessage receive and delete requests per message
   * @param clientCpuMicrosPerMessage this process's CPU time per message
   * @param serverCpuMicrosPerMessage the SQS server process's CPU time per message (0 in process)
   * @param clientBytesPerMessage bytes this process's threads allocated per message
   */
  record Throughput(
      double messagesPerSecond,
      double requestsPerMessage,
      double steadyRequestsPerMessage,
      double clientCpuMicrosPerMessage,
      double serverCpuMicrosPerMessage,
      double clientBytesPerMessage) {}

  /** Wall time and the two processes' CPU time from its creation to {@link #end}. */
  private final class Measure {
    private final long wall = System.nanoTime();
    private final long client = CLIENT_CPU.getProcessCpuTime();
    private final long server = serverCpuNanos.getAsLong();
    private final long allocated = allocatedBytes();

    Throughput end(int messages, double requests, double steadyRequests) {
      double seconds = (System.nanoTime() - wall) / 1e9;
      double clientMicros = (CLIENT_CPU.getProcessCpuTime() - client) / 1e3;
      double serverMicros = (serverCpuNanos.getAsLong() - server) / 1e3;
      double bytes = allocatedBytes() - allocated;
      return new Throughput(
          messages / seconds,
          requests / messages,
          steadyRequests / messages,
          clientMicros / messages,
          serverMicros / messages,
          bytes / messages);
    }
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * Bytes allocated so far by this process's live threads. Read at a round's end before its worker
   * or client is closed, so its threads are still alive; the allocation of a thread that ended
   * within the round is not counted (none of a round's own threads end before it does).
   */
  private static long allocatedBytes() {
    long total = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      total += Math.max(0, bytes);
    }
    return total;
  }

  private static final com.sun.management.OperatingSystemMXBean CLIENT_CPU =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * Baseline (a), what a user would write with the synchronous SDK: {@code concurrency} threads,
   * each looping {@code ReceiveMessage(10)} then {@code DeleteMessageBatch} on one Apache-client
   * {@link SqsClient} with a connection per thread.
   */
  Throughput syncBaseline(int messages, int concurrency) throws Exception {
    QueuePair queue = freshQueue("sync");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    AtomicInteger deleted = new AtomicInteger();
    CountDownLatch drained = new CountDownLatch(1);
    try (SqsClient client =
        SqsClient.builder()
            .endpointOverride(sqs.endpoint().uri())
            .region(sqs.endpoint().sdkRegion())
            .credentialsProvider(sqs.endpoint().credentialsProvider())
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(concurrency))
            .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
            .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      Measure measure = new Measure();
      List<Future<?>> loops = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        loops.add(
            pool.submit(
                () -> {
                  while (deleted.get() < messages) {
                    List<Message> got =
                        client
                            .receiveMessage(
                                b ->
                                    b.queueUrl(queue.queueUrl())
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds((int) WAIT.toSeconds()))
                            .messages();
                    if (!got.isEmpty()) {
                      client.deleteMessageBatch(
                          b -> b.queueUrl(queue.queueUrl()).entries(deletions(got)));
                      if (deleted.addAndGet(got.size()) >= messages) {
                        drained.countDown();
                      }
                    }
                  }
                  return null;
                }));
      }
      // Measured when the last message is deleted, as the worker's run ends with its last
      // message: the loops' long polls still waiting on the empty queue are not counted.
      await(drained);
      double total = counter.total();
      Throughput t = measure.end(messages, total, total);
      for (Future<?> loop : loops) {
        loop.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      pool.shutdown();
      return t;
    }
  }

  /**
   * Baseline (b), the same loop on the asynchronous Netty client the worker uses: {@code
   * concurrency} chains, each receiving ten and deleting them in one batch before its next receive.
   */
  Throughput asyncBaseline(int messages, int concurrency) throws Exception {
    QueuePair queue = freshQueue("async");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    try (SqsAsyncClient client = client(counter)) {
      AtomicInteger deleted = new AtomicInteger();
      CountDownLatch drained = new CountDownLatch(1);
      Measure measure = new Measure();
      List<CompletableFuture<Void>> chains = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        chains.add(chain(client, queue.queueUrl(), deleted, messages, drained));
      }
      await(drained);
      double total = counter.total();
      Throughput t = measure.end(messages, total, total);
      CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new))
          .get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return t;
    }
  }

  private static CompletableFuture<Void> chain(
      SqsAsyncClient client,
      String queueUrl,
      AtomicInteger deleted,
      int messages,
      CountDownLatch drained) {
    if (deleted.get() >= messages) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .receiveMessage(
            b ->
                b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds((int) WAIT.toSeconds()))
        .thenCompose(
            r -> {
              if (r.messages().isEmpty()) {
                return CompletableFuture.completedFuture(null);
              }
              return client
                  .deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletions(r.messages())))
                  .thenAccept(
                      d -> {
                        if (deleted.addAndGet(r.messages().size()) >= messages) {
                          drained.countDown();
                        }
                      });
            })
        .thenCompose(x -> chain(client, queueUrl, deleted, messages, drained));
  }

  private static List<DeleteMessageBatchRequestEntry> deletions(List<Message> got) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int m = 0; m < got.size(); m++) {
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id("d" + m)
              .receiptHandle(got.get(m).receiptHandle())
              .build());
    }
    return entries;
  }

  /** The worker with a no-op handler, same queue size and concurrency. */
  Throughput workerNoop(int messages, int concurrency) throws Exception {
    return worker(messages, concurrency, null, b -> b, false);
  }

  /**
   * The no-op worker timed from before it is built, as the Spring Boot starter's row is: {@code
   * SqsWorkers.start()} builds its workers (their executors, metrics, Jackson reader) and starts
   * them, so both are timed from the same point.
   */
  Throughput workerNoopTimedFromBuild(int messages, int concurrency) throws Exception {
    return worker(messages, concurrency, null, b -> b, true);
  }

  /** The no-op worker that never receives more messages than it has free handler slots. */
  Throughput workerNoopStrict(int messages, int concurrency) throws Exception {
    return worker(messages, concurrency, null, b -> b.receiveAhead(0), false);
  }

  /**
   * The no-op worker as a Spring Boot application builds it with the starter: the application's
   * {@link SqsAsyncClient} bean (the same counting client), a {@link MessageHandler} bean, a worker
   * from {@code sqsworker.workers.bench.*} properties; timed from the workers' start, as the plain
   * worker is.
   */
  Throughput workerSpring(int messages, int concurrency) throws Exception {
    QueuePair queue = freshQueue("spring");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    CountDownLatch done = new CountDownLatch(1);
    MessageHandler<String> handler = countingDown(messages, done);
    Throughput result;
    try (SqsAsyncClient client = client(counter);
        org.springframework.context.ConfigurableApplicationContext context =
            new org.springframework.boot.builder.SpringApplicationBuilder(
                    SpringBenchApplication.class)
                .web(org.springframework.boot.WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(
                    c -> {
                      var registry =
                          (org.springframework.context.support.GenericApplicationContext) c;
                      registry.registerBean("sqsClient", SqsAsyncClient.class, () -> client);
                      registry.registerBean("benchHandler", MessageHandler.class, () -> handler);
                    })
                .properties(
                    "sqsworker.auto-startup=false",
                    "sqsworker.workers.bench.queue-url=" + queue.queueUrl(),
                    "sqsworker.workers.bench.dlq-url=" + queue.dlqUrl(),
                    "sqsworker.workers.bench.handler=benchHandler",
                    "sqsworker.workers.bench.payload-type=java.lang.String",
                    "sqsworker.workers.bench.concurrency=" + concurrency,
                    "sqsworker.workers.bench.wait-time=" + WAIT.toSeconds() + "s",
                    "sqsworker.workers.bench.shutdown-grace=10s",
                    "logging.level.root=WARN")
                .run()) {
      dev.sqsworker.spring.boot.SqsWorkers workers =
          context.getBean(dev.sqsworker.spring.boot.SqsWorkers.class);
      settle();
      Measure measure = new Measure();
      workers.start();
      await(done);
      result = measure.end(messages, counter.total(), steadyRequests(counter));
      workers.stop();
    }
    requireEmpty(queue.queueUrl());
    return result;
  }

  /**
   * Lets this JVM's leftover work end before a timer starts: the garbage of what came before
   * (starting a Spring context leaves a heap of it) collected, and the JIT's queue drained (the
   * context's start compiles for a second or more on the compiler threads). Without it the
   * starter's rounds were charged for their context's start: the same work on the worker threads
   * (JFR: 663 against 655 samples for the same messages), more process CPU per message.
   */
  private static void settle() throws InterruptedException {
    System.gc();
    var jit = ManagementFactory.getCompilationMXBean();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long last = jit.getTotalCompilationTime();
    for (int quiet = 0; quiet < 5 && System.nanoTime() < deadline; ) {
      Thread.sleep(20);
      long now = jit.getTotalCompilationTime();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
  }

  /** A no-op handler that opens {@code done} when it has handled {@code messages}. */
  private static MessageHandler<String> countingDown(int messages, CountDownLatch done) {
    AtomicInteger handled = new AtomicInteger();
    return (body, context) -> {
      if (handled.incrementAndGet() == messages) {
        done.countDown();
      }
    };
  }

  /** The receive and delete requests: what a message costs once the worker runs. */
  private static double steadyRequests(SqsRequestCounter counter) {
    return counter.count("ReceiveMessage")
        + counter.count("DeleteMessageBatch")
        + counter.count("DeleteMessage");
  }

  /**
   * One round with idempotency.
   *
   * @param messagesPerSecond messages handled per second
   * @param roundTripsPerMessage PostgreSQL statements and commits per message
   */
  record Idempotent(double messagesPerSecond, double roundTripsPerMessage) {}

  /** The worker with PostgreSQL idempotency in the given mode and a no-op handler. */
  Idempotent workerIdempotent(
      int messages, int concurrency, CountingDataSource db, IdempotencyMode mode) throws Exception {
    db.reset();
    Throughput t =
        worker(
            messages,
            concurrency,
            Idempotency.postgres(db).mode(mode).migrateOnStart(false).build(),
            b -> b,
            false);
    return new Idempotent(t.messagesPerSecond(), db.roundTrips() / (double) messages);
  }

  private Throughput worker(
      int messages,
      int concurrency,
      Idempotency idempotency,
      java.util.function.UnaryOperator<WorkerConfig.Builder> tweak,
      boolean timedFromBuild)
      throws Exception {
    QueuePair queue = freshQueue("worker");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    CountDownLatch done = new CountDownLatch(1);
    MessageHandler<String> handler = countingDown(messages, done);
    Throughput result;
    try (SqsAsyncClient client = client(counter)) {
      if (timedFromBuild) {
        settle();
      }
      Measure fromBuild = timedFromBuild ? new Measure() : null;
      Worker.Builder builder =
          Worker.builder()
              .client(client)
              .config(tweak.apply(config(queue, concurrency)).build())
              .handler(String.class, handler)
              .meterRegistry(new SimpleMeterRegistry());
      if (idempotency != null) {
        builder.idempotency(idempotency);
      }
      Worker worker = builder.build();
      Measure measure = timedFromBuild ? fromBuild : new Measure();
      worker.start();
      await(done);
      result = measure.end(messages, counter.total(), steadyRequests(counter));
      worker.close();
    }
    requireEmpty(queue.queueUrl());
    return result;
  }

  /** The table the insert rounds write to: one row per message. */
  static final String INSERT_TABLE = "bench_inserts";

  /**
   * The single handler writing each message with its own INSERT (autocommit) into {@link
   * #INSERT_TABLE}: the per-message write a batch handler saves.
   */
  Throughput workerInsertEach(int messages, int concurrency, DataSource db) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    MessageHandler<String> handler =
        (body, context) -> {
          try (Connection c = db.getConnection();
              PreparedStatement insert =
                  c.prepareStatement("INSERT INTO " + INSERT_TABLE + "(body) VALUES (?)")) {
            insert.setString(1, body);
            insert.executeUpdate();
          }
          if (handled.incrementAndGet() == messages) {
            done.countDown();
          }
        };
    return inserting(messages, concurrency, db, done, b -> b.handler(String.class, handler));
  }

  /**
   * A batch handler writing each receive's messages with one multi-row INSERT (autocommit) into
   * {@link #INSERT_TABLE}.
   */
  Throughput workerInsertBatch(int messages, int concurrency, DataSource db) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    BatchMessageHandler<String> handler =
        items -> {
          String[] bodies = items.stream().map(BatchItem::payload).toArray(String[]::new);
          try (Connection c = db.getConnection();
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO " + INSERT_TABLE + "(body) SELECT unnest(?::text[])")) {
            insert.setArray(1, c.createArrayOf("text", bodies));
            insert.executeUpdate();
          }
          if (handled.addAndGet(items.size()) == messages) {
            done.countDown();
          }
          return BatchResult.allSucceeded();
        };
    return inserting(messages, concurrency, db, done, b -> b.batchHandler(String.class, handler));
  }

  private Throughput inserting(
      int messages,
      int concurrency,
      DataSource db,
      CountDownLatch done,
      java.util.function.Consumer<Worker.Builder> handler)
      throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + INSERT_TABLE + "(body text NOT NULL)");
      s.execute("TRUNCATE " + INSERT_TABLE);
    }
    QueuePair queue = freshQueue("insert");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    Throughput result;
    try (SqsAsyncClient client = client(counter)) {
      Worker.Builder builder =
          Worker.builder()
              .client(client)
              .config(config(queue, concurrency).build())
              .meterRegistry(new SimpleMeterRegistry());
      handler.accept(builder);
      Worker worker = builder.build();
      Measure measure = new Measure();
      worker.start();
      await(done);
      result = measure.end(messages, counter.total(), steadyRequests(counter));
      worker.close();
    }
    requireEmpty(queue.queueUrl());
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM " + INSERT_TABLE)) {
      rows.next();
      if (rows.getLong(1) != messages) {
        throw new IllegalStateException(
            rows.getLong(1) + " rows written for " + messages + " messages");
      }
    }
    return result;
  }

  /**
   * One I/O-bound round.
   *
   * @param messagesPerSecond messages handled per second
   * @param littlesLawBound concurrency ÷ handler time
   * @param peakHeapMb the most heap used during the run
   * @param maxStartWaitMs the longest a received message waited for a handler thread
   * @param p99StartWaitMs the 99th percentile of that wait
   */
  record IoBound(
      double messagesPerSecond,
      double littlesLawBound,
      double peakHeapMb,
      double maxStartWaitMs,
      double p99StartWaitMs) {}

  /**
   * Handlers that each wait {@code handlerTime}, at the given concurrency, with every SQS call
   * {@code sqsLatency} late (a real queue's round trip).
   */
  IoBound ioBound(int messages, int concurrency, Duration handlerTime, Duration sqsLatency)
      throws Exception {
    QueuePair queue = freshQueue("io");
    preload(queue.queueUrl(), messages);
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    MessageHandler<String> handler =
        (body, context) -> {
          Thread.sleep(handlerTime.toMillis());
          if (handled.incrementAndGet() == messages) {
            done.countDown();
          }
        };
    AtomicLong peakHeap = new AtomicLong();
    var memory = ManagementFactory.getMemoryMXBean();
    var sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0,
        50,
        TimeUnit.MILLISECONDS);
    double seconds;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.99)
                    .build()
                    .merge(config);
              }
            });
    double maxStartWaitMs;
    double p99StartWaitMs;
    try (LatencyHttpClient http =
            new LatencyHttpClient(
                NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(Math.max(200, concurrency))
                    .eventLoopGroup(eventLoop)
                    .build(),
                sqsLatency);
        SqsAsyncClient client = sqs.newAsyncClient(b -> b.httpClient(http))) {
      Worker worker = worker(client, queue, concurrency, handler, registry);
      long start = System.nanoTime();
      worker.start();
      await(done);
      seconds = (System.nanoTime() - start) / 1e9;
      Timer startWait = registry.get("sqsworker.message.start.wait").timer();
      maxStartWaitMs = startWait.max(TimeUnit.MILLISECONDS);
      p99StartWaitMs = startWait.takeSnapshot().percentileValues()[0].value(TimeUnit.MILLISECONDS);
      worker.close();
    } finally {
      sampler.shutdownNow();
    }
    requireEmpty(queue.queueUrl());
    return new IoBound(
        messages / seconds,
        concurrency / (handlerTime.toMillis() / 1000.0),
        peakHeap.get() / (1024.0 * 1024.0),
        maxStartWaitMs,
        p99StartWaitMs);
  }

  /**
   * One long-handler round.
   *
   * @param callsPerMessagePerRound extension requests per message per extension round
   * @param rounds extension rounds per message
   */
  record LongHandlers(double callsPerMessagePerRound, double rounds) {}

  /** {@code messages} handlers held for three visibility timeouts. */
  LongHandlers longHandlers(int messages) throws Exception {
    QueuePair queue = freshQueue("long");
    preload(queue.queueUrl(), messages);
    Duration visibility = Duration.ofSeconds(2);
    CountDownLatch allStarted = new CountDownLatch(messages);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(messages);
    MessageHandler<String> handler =
        (body, context) -> {
          allStarted.countDown();
          release.await();
          done.countDown();
        };
    SqsRequestCounter counter = new SqsRequestCounter(null);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (SqsAsyncClient client = client(counter)) {
      Worker worker =
          Worker.builder()
              .client(client)
              .config(
                  config(queue, messages)
                      .visibilityTimeout(visibility)
                      .pollers(Math.min(16, (messages + 9) / 10))
                      .build())
              .handler(String.class, handler)
              .meterRegistry(registry)
              .build();
      worker.start();
      await(allStarted);
      Thread.sleep(visibility.multipliedBy(3).toMillis());
      double extensions = registry.get("sqsworker.visibility.extensions").counter().count();
      long calls =
          counter.count("ChangeMessageVisibilityBatch") + counter.count("ChangeMessageVisibility");
      release.countDown();
      await(done);
      worker.close();
      requireEmpty(queue.queueUrl());
      return new LongHandlers(extensions == 0 ? 0 : calls / extensions, extensions / messages);
    }
  }

  /** Milliseconds from {@code start()} to the first message handled. */
  double startup() throws Exception {
    QueuePair queue = freshQueue("startup");
    preload(queue.queueUrl(), 1);
    CountDownLatch first = new CountDownLatch(1);
    try (SqsAsyncClient client = client(new SqsRequestCounter(null))) {
      Worker worker =
          worker(client, queue, 10, (body, ctx) -> first.countDown(), new SimpleMeterRegistry());
      long start = System.nanoTime();
      worker.start();
      await(first);
      double ms = (System.nanoTime() - start) / 1e6;
      worker.close();
      return ms;
    }
  }

  private Worker worker(
      SqsAsyncClient client,
      QueuePair queue,
      int concurrency,
      MessageHandler<String> handler,
      SimpleMeterRegistry registry) {
    return Worker.builder()
        .client(client)
        .config(config(queue, concurrency).build())
        .handler(String.class, handler)
        .meterRegistry(registry)
        .build();
  }

  private static WorkerConfig.Builder config(QueuePair queue, int concurrency) {
    return WorkerConfig.builder()
        .queueUrl(queue.queueUrl())
        .dlqUrl(queue.dlqUrl())
        .concurrency(concurrency)
        .waitTime(WAIT)
        .shutdownGrace(Duration.ofSeconds(10));
  }

  private QueuePair freshQueue(String kind) {
    return sqs.createQueueWithDlq("bench-" + kind + "-" + QUEUES.incrementAndGet(), 100);
  }

  private SqsAsyncClient client(SqsRequestCounter counter) {
    return sqs.newAsyncClient(
        b ->
            b.httpClientBuilder(
                    NettyNioAsyncHttpClient.builder().maxConcurrency(200).eventLoopGroup(eventLoop))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter)));
  }

  /** Sends {@code messages} small bodies, ten per request, many requests at once. */
  void preload(String queueUrl, int messages) throws Exception {
    try (SqsAsyncClient client = client(new SqsRequestCounter(null))) {
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<?>> sends = new ArrayList<>();
      for (int from = 0; from < messages; from += 10) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < Math.min(messages, from + 10); i++) {
          entries.add(
              SendMessageBatchRequestEntry.builder()
                  .id("m" + i)
                  .messageBody("{\"n\":" + i + "}")
                  .build());
        }
        inFlight.acquire();
        sends.add(
            client
                .sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
                .thenAccept(
                    r -> {
                      if (!r.failed().isEmpty()) {
                        throw new IllegalStateException("preload failed: " + r.failed());
                      }
                    })
                .whenComplete((r, e) -> inFlight.release()));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }
  }

  private void requireEmpty(String queueUrl) {
    var attrs =
        sqs.client()
            .getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    int left = attrs.values().stream().mapToInt(Integer::parseInt).sum();
    if (left != 0) {
      throw new IllegalStateException(left + " messages left in " + queueUrl + " after the run");
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("run did not finish within " + RUN_TIMEOUT);
    }
  }
}
