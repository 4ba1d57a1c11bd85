package dev.sqsworker.bench;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.SqsRequestCounter;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
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
  // One event loop for every client: closing a client then does not wait out Netty's quiet period.
  private final SdkEventLoopGroup eventLoop =
      SdkEventLoopGroup.builder().numberOfThreads(4).build();

  Scenarios(LocalSqs sqs) {
    this.sqs = sqs;
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
   */
  record Throughput(
      double messagesPerSecond, double requestsPerMessage, double steadyRequestsPerMessage) {}

  /** The bare SDK loop: {@code ceil(concurrency/10)} loops of receive(10) + deleteBatch. */
  Throughput baseline(int messages, int concurrency) throws Exception {
    QueuePair queue = freshQueue("baseline");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    try (SqsAsyncClient client = client(counter)) {
      int loops = Math.max(1, (concurrency + 9) / 10);
      AtomicInteger deleted = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(loops);
      long start = System.nanoTime();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  while (deleted.get() < messages) {
                    List<Message> got =
                        client
                            .receiveMessage(
                                b ->
                                    b.queueUrl(queue.queueUrl())
                                        .maxNumberOfMessages(10)
                                        .waitTimeSeconds((int) WAIT.toSeconds()))
                            .join()
                            .messages();
                    if (got.isEmpty()) {
                      continue;
                    }
                    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int m = 0; m < got.size(); m++) {
                      entries.add(
                          DeleteMessageBatchRequestEntry.builder()
                              .id("d" + m)
                              .receiptHandle(got.get(m).receiptHandle())
                              .build());
                    }
                    client
                        .deleteMessageBatch(b -> b.queueUrl(queue.queueUrl()).entries(entries))
                        .join();
                    deleted.addAndGet(got.size());
                  }
                },
                pool));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
          .get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      double total = counter.total();
      return new Throughput(messages / seconds, total / messages, total / messages);
    }
  }

  /** The worker with a no-op handler, same queue size and concurrency. */
  Throughput workerNoop(int messages, int concurrency) throws Exception {
    return worker(messages, concurrency, null);
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
            Idempotency.postgres(db).mode(mode).migrateOnStart(false).build());
    return new Idempotent(t.messagesPerSecond(), db.roundTrips() / (double) messages);
  }

  private Throughput worker(int messages, int concurrency, Idempotency idempotency)
      throws Exception {
    QueuePair queue = freshQueue("worker");
    preload(queue.queueUrl(), messages);
    SqsRequestCounter counter = new SqsRequestCounter(null);
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    MessageHandler<String> handler =
        (body, context) -> {
          if (handled.incrementAndGet() == messages) {
            done.countDown();
          }
        };
    double seconds;
    try (SqsAsyncClient client = client(counter)) {
      Worker.Builder builder =
          Worker.builder()
              .client(client)
              .config(config(queue, concurrency).build())
              .handler(String.class, handler)
              .meterRegistry(new SimpleMeterRegistry());
      if (idempotency != null) {
        builder.idempotency(idempotency);
      }
      Worker worker = builder.build();
      long start = System.nanoTime();
      worker.start();
      await(done);
      seconds = (System.nanoTime() - start) / 1e9;
      worker.close();
    }
    requireEmpty(queue.queueUrl());
    double total = counter.total();
    double steady =
        counter.count("ReceiveMessage")
            + counter.count("DeleteMessageBatch")
            + counter.count("DeleteMessage");
    return new Throughput(messages / seconds, total / messages, steady / messages);
  }

  /**
   * One I/O-bound round.
   *
   * @param messagesPerSecond messages handled per second
   * @param littlesLawBound concurrency ÷ handler time
   * @param peakHeapMb the most heap used during the run
   */
  record IoBound(double messagesPerSecond, double littlesLawBound, double peakHeapMb) {}

  /** Handlers that each wait {@code handlerTime}, at the given concurrency. */
  IoBound ioBound(int messages, int concurrency, Duration handlerTime) throws Exception {
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
    try (SqsAsyncClient client = client(new SqsRequestCounter(null))) {
      Worker worker = worker(client, queue, concurrency, handler, new SimpleMeterRegistry());
      long start = System.nanoTime();
      worker.start();
      await(done);
      seconds = (System.nanoTime() - start) / 1e9;
      worker.close();
    } finally {
      sampler.shutdownNow();
    }
    requireEmpty(queue.queueUrl());
    return new IoBound(
        messages / seconds,
        concurrency / (handlerTime.toMillis() / 1000.0),
        peakHeap.get() / (1024.0 * 1024.0));
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
