package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

@WithLocalServices
class WorkerIT {

  record Order(String id, int quantity) {}

  private static FailureReason reasonOf(Message message) {
    return FailureReason.fromJson(
        message.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
  }

  @Test
  void handlesEveryMessageOnceAndDeletesItInBatches(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "basic")) {
      q.sendMany(50, i -> "{\"id\":\"o-" + i + "\",\"quantity\":" + i + "}");
      Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
      Worker worker =
          q.start(
              q.worker(q.config().build())
                  .handler(
                      Order.class,
                      (order, ctx) ->
                          seen.computeIfAbsent(order.id(), k -> new AtomicInteger())
                              .incrementAndGet()));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(seen).hasSize(50);
      assertThat(seen.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(q.requests.count("DeleteMessage")).isZero();
      assertThat(q.requests.count("DeleteMessageBatch")).isBetween(5L, 50L);
      assertThat(q.counter("sqsworker.messages.succeeded")).isEqualTo(50);
      // Idle pollers hold permits during their long poll; they are not messages in flight.
      await().until(() -> worker.health().inFlight() == 0);
      assertThat(worker.health().healthy()).isTrue();
    }
  }

  @Test
  void contextCarriesTheMessagesMetadata(LocalSqs sqs) throws Exception {
    try (var q = QueueFixture.standard(sqs, "context")) {
      q.sync()
          .sendMessage(
              b ->
                  b.queueUrl(q.queues.queueUrl())
                      .messageBody("hello")
                      .messageAttributes(
                          Map.of(
                              "traceparent",
                              software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                                  .builder()
                                  .dataType("String")
                                  .stringValue("00-abc-def-01")
                                  .build())));
      var contexts = new CopyOnWriteArrayList<MessageContext>();
      var mdc = new CopyOnWriteArrayList<Map<String, String>>();
      var done = new CountDownLatch(1);
      q.start(
          q.worker(q.config().build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    contexts.add(ctx);
                    mdc.add(org.slf4j.MDC.getCopyOfContextMap());
                    done.countDown();
                  }));
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
      MessageContext ctx = contexts.get(0);
      assertThat(ctx.queueUrl()).isEqualTo(q.queues.queueUrl());
      assertThat(ctx.receiveCount()).isEqualTo(1);
      assertThat(ctx.attempt()).isEqualTo(1);
      assertThat(ctx.maxAttempts()).isEqualTo(WorkerConfig.DEFAULT_MAX_ATTEMPTS);
      assertThat(ctx.traceHeader()).contains("00-abc-def-01");
      assertThat(ctx.sentTimestamp()).isBefore(Instant.now().plusSeconds(1));
      assertThat(ctx.deadline()).isAfter(Instant.now());
      assertThat(ctx.messageGroupId()).isEmpty();
      assertThat(ctx.isCancelled()).isFalse();
      assertThat(mdc.get(0))
          .containsEntry("sqsworker.messageId", ctx.messageId())
          .containsEntry("sqsworker.attempt", "1")
          .containsEntry("sqsworker.trace", "00-abc-def-01")
          .containsKey("sqsworker.queue");
    }
  }

  @Test
  void runsHandlersOnAUserExecutorAndLeavesItRunning(LocalSqs sqs) {
    var threads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService executor =
        java.util.concurrent.Executors.newFixedThreadPool(
            4, r -> new Thread(r, "custom-" + threads.incrementAndGet()));
    try (var q = QueueFixture.standard(sqs, "executor")) {
      q.sendMany(20, i -> "e-" + i);
      var names = new java.util.concurrent.ConcurrentSkipListSet<String>();
      Worker worker =
          q.start(
              q.worker(q.config().concurrency(4).build())
                  .executor(executor)
                  .handler(String.class, (b, c) -> names.add(Thread.currentThread().getName())));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      worker.close();
      assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n).startsWith("custom-"));
      assertThat(executor.isShutdown()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void undecodableMessagesGoToTheDlqWithTheReason(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "decode")) {
      q.send("{\"id\":\"o-1\",\"quantity\":\"lots\"}");
      q.send("not json at all");
      AtomicInteger handled = new AtomicInteger();
      q.start(
          q.worker(q.config().build()).handler(Order.class, (o, c) -> handled.incrementAndGet()));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 2);
      await().until(() -> q.depth(q.queues.queueUrl()) == 0);
      List<Message> dead = q.drainDlq();
      assertThat(dead).hasSize(2);
      assertThat(dead).extracting(m -> reasonOf(m).kind()).containsOnly(FailureKind.DECODE);
      assertThat(dead)
          .extracting(m -> reasonOf(m).errorMessage())
          .anySatisfy(msg -> assertThat(msg).contains("Order at $.quantity"))
          .anySatisfy(msg -> assertThat(msg).contains("not valid JSON"));
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void nonRetryableErrorsGoStraightToTheDlq(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "nonretry")) {
      q.send("{\"id\":\"bad\",\"quantity\":1}");
      AtomicInteger calls = new AtomicInteger();
      q.start(
          q.worker(q.config().maxAttempts(5).build())
              .handler(
                  Order.class,
                  (o, c) -> {
                    calls.incrementAndGet();
                    throw new NonRetryableException("order " + o.id() + " has no customer");
                  }));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
      await().until(() -> q.depth(q.queues.queueUrl()) == 0);
      FailureReason reason = reasonOf(q.drainDlq().get(0));
      assertThat(reason.kind()).isEqualTo(FailureKind.NON_RETRYABLE);
      assertThat(reason.errorClass()).isEqualTo(NonRetryableException.class.getName());
      assertThat(reason.errorMessage()).isEqualTo("order bad has no customer");
      assertThat(reason.attempts()).isEqualTo(1);
      assertThat(reason.sourceQueue()).isEqualTo(q.queues.queueUrl());
      assertThat(reason.workerId()).isEqualTo("test-worker");
      assertThat(reason.fingerprint()).hasSize(12);
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void configuredExceptionTypesAreNonRetryable(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "nonretry-types")) {
      q.send("x");
      q.start(
          q.worker(q.config().nonRetryableExceptions(IllegalArgumentException.class).build())
              .handler(
                  String.class,
                  (o, c) -> {
                    throw new NumberFormatException("for input 'x'");
                  }));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
      assertThat(reasonOf(q.drainDlq().get(0)).errorClass())
          .isEqualTo(NumberFormatException.class.getName());
    }
  }

  @Test
  void retriesAreSpacedByTheBackoffAndExhaustedMessagesLandInTheDlqOnce(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "retry")) {
      q.send("always-fails");
      List<Instant> attempts = new CopyOnWriteArrayList<>();
      List<Integer> attemptNumbers = new CopyOnWriteArrayList<>();
      q.start(
          q.worker(
                  q.config()
                      .maxAttempts(3)
                      .backoff(BackoffPolicy.fixed(Duration.ofSeconds(1)))
                      .build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    attempts.add(Instant.now());
                    attemptNumbers.add(ctx.attempt());
                    throw new IllegalStateException("downstream said no");
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
      await().until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(attemptNumbers).containsExactly(1, 2, 3);
      for (int i = 1; i < attempts.size(); i++) {
        assertThat(Duration.between(attempts.get(i - 1), attempts.get(i)))
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
      }
      List<Message> dead = q.drainDlq();
      assertThat(dead).hasSize(1);
      FailureReason reason = reasonOf(dead.get(0));
      assertThat(reason.kind()).isEqualTo(FailureKind.EXHAUSTED);
      assertThat(reason.attempts()).isEqualTo(3);
      assertThat(reason.errorClass()).isEqualTo(IllegalStateException.class.getName());
      assertThat(reason.firstFailureAt()).isBeforeOrEqualTo(reason.lastFailureAt());
      assertThat(q.requests.count("SendMessage")).isEqualTo(1);
      assertThat(q.counter("sqsworker.messages.retried")).isEqualTo(2);
      assertThat(q.counter("sqsworker.messages.dead.lettered", "reason", "EXHAUSTED")).isEqualTo(1);
    }
  }

  @Test
  void aHandlerThreeTimesLongerThanTheVisibilityIsNotRedeliveredAndCostsBatchedExtensions(
      LocalSqs sqs) throws Exception {
    try (var q = QueueFixture.standard(sqs, "long")) {
      q.sendMany(10, i -> "long-" + i);
      Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch allStarted = new CountDownLatch(10);
      q.start(
          q.worker(q.config().visibilityTimeout(Duration.ofSeconds(2)).concurrency(10).build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    runs.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                    allStarted.countDown();
                    release.await();
                  }));
      assertThat(allStarted.await(20, TimeUnit.SECONDS)).isTrue();
      Instant started = Instant.now();
      // Hold every handler for three visibility timeouts, then let them finish.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Duration.between(started, Instant.now()).toSeconds() >= 6);
      release.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(runs).hasSize(10);
      assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      double extensions = q.counter("sqsworker.visibility.extensions");
      long batchCalls = q.requests.count("ChangeMessageVisibilityBatch");
      assertThat(extensions).isGreaterThanOrEqualTo(30);
      assertThat(q.requests.count("ChangeMessageVisibility")).isZero();
      // Ten messages due together go out as one call per round.
      assertThat(batchCalls).isLessThanOrEqualTo((long) Math.ceil(extensions / 10.0) + 2);
    }
  }

  @Test
  void theHandlerIsCancelledAtItsMaximumHandlingTime(LocalSqs sqs) throws Exception {
    try (var q = QueueFixture.standard(sqs, "deadline")) {
      q.send("slow");
      CountDownLatch interrupted = new CountDownLatch(1);
      AtomicInteger cancelledSeen = new AtomicInteger();
      q.start(
          q.worker(
                  q.config()
                      .visibilityTimeout(Duration.ofSeconds(1))
                      .maxHandlingTime(Duration.ofSeconds(2))
                      .maxAttempts(1)
                      .build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                      if (ctx.isCancelled()) {
                        cancelledSeen.incrementAndGet();
                      }
                      interrupted.countDown();
                      throw e;
                    }
                  }));
      assertThat(interrupted.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(cancelledSeen).hasValue(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
      assertThat(reasonOf(q.drainDlq().get(0)).errorClass())
          .isEqualTo(InterruptedException.class.getName());
    }
  }

  @Test
  void fifoOrderHoldsWithinEachGroupUnderFailures(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "fifo")) {
      for (int i = 1; i <= 5; i++) {
        for (String group : List.of("a", "b", "c")) {
          q.sendFifo(group, group + ":" + i);
        }
      }
      Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
      q.start(
          q.worker(q.config().concurrency(10).maxAttempts(5).build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    String group = body.substring(0, 1);
                    int n = Integer.parseInt(body.substring(2));
                    assertThat(ctx.messageGroupId()).contains(group);
                    // Messages 2 and 4 fail twice before they succeed.
                    if ((n == 2 || n == 4)
                        && failures
                                .computeIfAbsent(body, k -> new AtomicInteger())
                                .incrementAndGet()
                            <= 2) {
                      throw new IllegalStateException("transient " + body);
                    }
                    handled.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(n);
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(handled).containsOnlyKeys("a", "b", "c");
      handled.values().forEach(order -> assertThat(order).containsExactly(1, 2, 3, 4, 5));
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  @Test
  void fifoDeadLettersKeepTheGroup(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "fifo-dlq")) {
      q.sendFifo("g1", "poison");
      q.start(
          q.worker(q.config().build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    throw new NonRetryableException("poison");
                  }));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
      Message dead = q.drainDlq().get(0);
      assertThat(
              dead.attributes()
                  .get(
                      software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName
                          .MESSAGE_GROUP_ID))
          .isEqualTo("g1");
    }
  }

  @Test
  void shutdownWithMessagesInFlightLosesNoneAndHandlesNoneTwice(LocalSqs sqs) throws Exception {
    try (var q = QueueFixture.standard(sqs, "shutdown")) {
      q.sendMany(30, i -> "m-" + i);
      Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
      CountDownLatch busy = new CountDownLatch(5);
      CountDownLatch finish = new CountDownLatch(1);
      Worker worker =
          q.worker(q.config().concurrency(5).build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    busy.countDown();
                    finish.await();
                    completed.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                  })
              .build();
      worker.start();
      assertThat(busy.await(20, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(worker::close);
      closer.start();
      await().until(() -> worker.state() == Worker.State.STOPPING);
      finish.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
      assertThat(completed.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      // Everything not completed is still in the queue, visible again or soon.
      List<Message> left = new java.util.ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(40))
          .until(
              () -> {
                left.addAll(q.drain(q.queues.queueUrl()));
                return completed.size() + left.size() == 30;
              });
      assertThat(left).extracting(Message::body).doesNotContainAnyElementsOf(completed.keySet());
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  @Test
  void startFailsClearlyWhenTheQueueDoesNotExist(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "missing")) {
      String missing = q.queues.queueUrl() + "-nope";
      Worker worker =
          q.worker(q.config().queueUrl(missing).build())
              .handler(String.class, (b, c) -> {})
              .build();
      assertThatThrownBy(worker::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("SQSWORKER_QUEUE_URL")
          .hasMessageContaining(missing)
          .hasMessageContaining("does not exist");
      assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    }
  }

  @Test
  void startFailsClearlyWhenTheDlqDoesNotExist(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "missing-dlq")) {
      String missing = q.queues.dlqUrl() + "-nope";
      Worker worker =
          q.worker(q.config().dlqUrl(missing).build()).handler(String.class, (b, c) -> {}).build();
      assertThatThrownBy(worker::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("SQSWORKER_DLQ_URL")
          .hasMessageContaining(missing);
    }
  }

  @Test
  void theDlqIsFoundThroughTheRedrivePolicy(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "redrive-dlq")) {
      q.send("poison");
      WorkerConfig config =
          WorkerConfig.builder()
              .queueUrl(q.queues.queueUrl())
              .waitTime(Duration.ofSeconds(1))
              .build();
      q.start(
          q.worker(config)
              .handler(
                  String.class,
                  (b, c) -> {
                    throw new NonRetryableException("no");
                  }));
      await().atMost(Duration.ofSeconds(20)).until(() -> q.depth(q.queues.dlqUrl()) == 1);
    }
  }

  @Test
  void aQueueWithoutAnyDlqIsRefused(LocalSqs sqs) {
    String url = sqs.createQueue("no-dlq-" + ProcessHandle.current().pid());
    try (var q = QueueFixture.standard(sqs, "unused")) {
      Worker worker =
          q.worker(WorkerConfig.builder().queueUrl(url).build())
              .handler(String.class, (b, c) -> {})
              .build();
      assertThatThrownBy(worker::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("has no dead-letter queue");
    }
  }

  @Test
  void pollErrorsAreSurvivedAndReportedInHealth(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "poll-errors")) {
      AtomicInteger handled = new AtomicInteger();
      Worker worker =
          q.start(
              q.worker(q.config().build())
                  .handler(String.class, (b, c) -> handled.incrementAndGet()));
      await().until(worker::isHealthy);
      String name = q.queues.queueUrl().substring(q.queues.queueUrl().lastIndexOf('/') + 1);
      q.sync().deleteQueue(b -> b.queueUrl(q.queues.queueUrl()));
      await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isHealthy());
      assertThat(worker.health().detail()).contains("failed in a row");
      assertThat(worker.state()).isEqualTo(Worker.State.RUNNING);
      q.sync().createQueue(b -> b.queueName(name));
      q.send("after the outage");
      await().atMost(Duration.ofSeconds(40)).until(() -> handled.get() == 1);
      assertThat(worker.isHealthy()).isTrue();
      assertThat(q.counter("sqsworker.poll.errors")).isGreaterThanOrEqualTo(3);
    }
  }
}
