package dev.sqsworker.core;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** A fresh queue with a DLQ on the embedded SQS server, and a worker builder aimed at it. */
final class QueueFixture implements AutoCloseable {

  private static final AtomicInteger NAMES = new AtomicInteger();

  // One event loop for every test client: closing a client then does not wait out Netty's quiet
  // period.
  private static final SdkEventLoopGroup EVENT_LOOP =
      SdkEventLoopGroup.builder().numberOfThreads(2).build();

  final LocalSqs sqs;
  final QueuePair queues;
  final SqsRequestCounter requests;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SqsAsyncClient client;
  private final List<Worker> workers = new ArrayList<>();

  private QueueFixture(LocalSqs sqs, QueuePair queues) {
    this.sqs = sqs;
    this.queues = queues;
    this.requests = new SqsRequestCounter(registry);
    this.client =
        sqs.newAsyncClient(
            b ->
                b.overrideConfiguration(o -> o.addExecutionInterceptor(requests))
                    .httpClientBuilder(
                        NettyNioAsyncHttpClient.builder().eventLoopGroup(EVENT_LOOP)));
  }

  /** A standard queue whose redrive policy (the backstop) is above any test's maxAttempts. */
  static QueueFixture standard(LocalSqs sqs, String name) {
    return new QueueFixture(sqs, sqs.createQueueWithDlq(unique(name), 50));
  }

  /** A FIFO queue with content-based deduplication and a FIFO DLQ. */
  static QueueFixture fifo(LocalSqs sqs, String name) {
    return new QueueFixture(
        sqs,
        sqs.createQueueWithDlq(
            unique(name) + ".fifo",
            50,
            Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true")));
  }

  private static String unique(String name) {
    return name + "-" + NAMES.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  /** Config with short timings for tests. */
  WorkerConfig.Builder config() {
    return WorkerConfig.builder()
        .queueUrl(queues.queueUrl())
        .dlqUrl(queues.dlqUrl())
        .waitTime(Duration.ofSeconds(1))
        .backoff(BackoffPolicy.fixed(Duration.ZERO))
        .shutdownGrace(Duration.ofSeconds(5))
        .workerId("test-worker");
  }

  /** A worker builder on this queue; workers built through {@link #start} are closed with it. */
  Worker.Builder worker(WorkerConfig config) {
    return Worker.builder().client(client).config(config).meterRegistry(registry);
  }

  Worker start(Worker.Builder builder) {
    Worker worker = builder.build();
    workers.add(worker);
    worker.start();
    return worker;
  }

  SqsClient sync() {
    return sqs.client();
  }

  void send(String body) {
    sync().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
  }

  void sendFifo(String group, String body) {
    sync().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body).messageGroupId(group));
  }

  /** Sends {@code count} bodies made by {@code body}, ten per request. */
  void sendMany(int count, java.util.function.IntFunction<String> body) {
    for (int start = 0; start < count; start += 10) {
      int from = start;
      List<SendMessageBatchRequestEntry> entries =
          IntStream.range(from, Math.min(count, from + 10))
              .mapToObj(
                  i ->
                      SendMessageBatchRequestEntry.builder()
                          .id("e" + i)
                          .messageBody(body.apply(i))
                          .build())
              .toList();
      var response = sync().sendMessageBatch(b -> b.queueUrl(queues.queueUrl()).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new IllegalStateException("send failed: " + response.failed());
      }
    }
  }

  /** Every message in the DLQ, each read once (they stay invisible for a minute). */
  List<Message> drainDlq() {
    return drain(queues.dlqUrl());
  }

  List<Message> drain(String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> got =
          sync()
              .receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .visibilityTimeout(60)
                          .waitTimeSeconds(0)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      if (got.isEmpty()) {
        return all;
      }
      all.addAll(got);
    }
  }

  /** Visible + in flight + delayed messages of a queue. */
  int depth(String queueUrl) {
    Map<QueueAttributeName, String> attrs =
        sync()
            .getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return attrs.values().stream().mapToInt(Integer::parseInt).sum();
  }

  double counter(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var counter = search.counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    workers.forEach(Worker::close);
    client.close();
  }
}
