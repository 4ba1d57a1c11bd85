package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.SqsFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Guarantees of the message path under faults (issue 14, §2), without idempotency. */
@WithLocalServices
class WorkerFaultsIT {

  record Order(String id, int n) {}

  private QueueFixture fixture;
  private final SqsFaults faults = new SqsFaults(14);

  @BeforeEach
  void setUp(LocalSqs sqs) {
    fixture = QueueFixture.standard(sqs, "faults");
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private static String reasonJson(Message m) {
    return m.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue();
  }

  /** Case 9: a body with trailing data is not the payload; it is a DECODE dead letter. */
  @Test
  void trailingTokensAreRejectedAsDecodeWithAPublicErrorClass() {
    List<Order> handled = new CopyOnWriteArrayList<>();
    fixture.send("{\"id\":\"m6\",\"n\":1}}");
    fixture.send("{\"id\":\"a\",\"n\":1}{\"id\":\"b\",\"n\":2}");
    fixture.send("{\"id\":\"ok\",\"n\":3}");
    fixture.start(
        fixture.worker(fixture.config().build()).handler(Order.class, (o, c) -> handled.add(o)));
    await().atMost(Duration.ofSeconds(20)).until(() -> fixture.depth(fixture.queues.dlqUrl()) == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    assertThat(handled).containsExactly(new Order("ok", 3));
    List<Message> dead = fixture.drainDlq();
    assertThat(dead)
        .extracting(Message::body)
        .containsExactlyInAnyOrder(
            "{\"id\":\"m6\",\"n\":1}}", "{\"id\":\"a\",\"n\":1}{\"id\":\"b\",\"n\":2}");
    assertThat(dead)
        .allSatisfy(
            m -> {
              String reason = reasonJson(m);
              assertThat(reason).contains("\"kind\":\"DECODE\"");
              assertThat(reason)
                  .contains("\"errorClass\":\"dev.sqsworker.core.PayloadDecodingException\"");
            });
  }

  /**
   * Case 2: a second delivery of a running message (its visibility lapsed) is tracked on its own
   * receipt: both settle, no permit leaks, and the worker still runs at full concurrency.
   */
  @Test
  void aSecondDeliveryOfARunningMessageLeaksNoPermit() throws Exception {
    // Every extension fails, so the running message becomes visible again and is redelivered.
    var failExtensions =
        faults.on("ChangeMessageVisibilityBatch").always().failEntries("InternalError");
    int concurrency = 3;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch allRunning = new CountDownLatch(concurrency);
    Set<String> phaseTwo = ConcurrentHashMap.newKeySet();
    var client =
        fixture.sqs.newAsyncClient(
            b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
    try {
      var config =
          fixture
              .config()
              .concurrency(concurrency)
              .visibilityTimeout(Duration.ofSeconds(2))
              .shutdownGrace(Duration.ofSeconds(20))
              .build();
      Worker worker =
          fixture.start(
              Worker.builder()
                  .client(client)
                  .config(config)
                  .meterRegistry(fixture.registry)
                  .handler(
                      String.class,
                      (body, ctx) -> {
                        runs.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                        if (body.equals("twice")) {
                          bothRunning.countDown();
                          awaitUninterruptibly(bothRunning);
                        } else {
                          phaseTwo.add(body);
                          allRunning.countDown();
                          awaitUninterruptibly(allRunning);
                        }
                      }));
      fixture.send("twice");
      assertThat(bothRunning.await(30, TimeUnit.SECONDS))
          .as("the message was delivered a second time while it ran")
          .isTrue();
      failExtensions.remove();
      await().atMost(Duration.ofSeconds(20)).until(() -> worker.health().inFlight() == 0);
      // Every slot is free again: as many messages as the concurrency run at the same time.
      for (int i = 0; i < concurrency; i++) {
        fixture.send("p" + i);
      }
      assertThat(allRunning.await(30, TimeUnit.SECONDS))
          .as("all %d slots run at once after the double delivery", concurrency)
          .isTrue();
      await().atMost(Duration.ofSeconds(20)).until(() -> worker.health().inFlight() == 0);
      long start = System.nanoTime();
      worker.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("close() does not wait for a leaked permit")
          .isLessThan(Duration.ofSeconds(15));
      assertThat(runs.get("twice").get()).isEqualTo(2);
    } finally {
      client.close();
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (latch.await(30, TimeUnit.SECONDS)) {
            return;
          }
          throw new IllegalStateException("latch never opened");
        } catch (InterruptedException e) {
          interrupted = true; // the heartbeat cancels it; the test wants it to run on
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Cases 5 and 12: one FIFO group of six (the first fails twice, the second once, then four good;
   * maxAttempts 3; no idempotency). Only handler runs count as attempts, so the messages released
   * behind a failing head are not dead-lettered unrun: all six are handled, in order.
   */
  @Test
  void fifoMessagesBehindAFailingHeadAreNotDeadLetteredUnrun(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "fifo-head")) {
      for (int i = 1; i <= 6; i++) {
        q.sendFifo("g", "m" + i);
      }
      Map<String, Integer> failuresLeft = new ConcurrentHashMap<>(Map.of("m1", 2, "m2", 1));
      List<String> handled = new CopyOnWriteArrayList<>();
      q.start(
          q.worker(
                  q.config()
                      .maxAttempts(3)
                      .backoff(BackoffPolicy.fixed(Duration.ofSeconds(1)))
                      .build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    if (failuresLeft.merge(body, -1, Integer::sum) >= 0) {
                      throw new IllegalStateException("transient failure of " + body);
                    }
                    handled.add(body);
                  }));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> handled.size() + q.depth(q.queues.dlqUrl()) >= 6);
      assertThat(q.depth(q.queues.dlqUrl())).as("dead-lettered").isZero();
      assertThat(handled).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
    }
  }

  /**
   * Case 7: a FIFO message waiting behind its group is not cancelled for the time it waited: its
   * handling deadline starts when its handler starts, and it stays invisible while it waits.
   */
  @Test
  void fifoWaitingTimeDoesNotCountAgainstTheHandlingDeadline(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "fifo-deadline")) {
      q.sendFifo("g", "first");
      q.sendFifo("g", "second");
      Map<String, Boolean> cancelled = new ConcurrentHashMap<>();
      Map<String, Duration> allowed = new ConcurrentHashMap<>();
      List<String> handled = new CopyOnWriteArrayList<>();
      Duration maxHandling = Duration.ofSeconds(3);
      q.start(
          q.worker(
                  q.config()
                      .maxAttempts(1)
                      .visibilityTimeout(Duration.ofSeconds(2))
                      .maxHandlingTime(maxHandling)
                      .build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    Instant started = Instant.now();
                    allowed.put(body, Duration.between(started, ctx.deadline()));
                    // Simulated work: each message takes 2 s, so the second one starts about
                    // 2 s after the receive and, counted from there, would pass 3 s mid-run.
                    TimeUnit.SECONDS.sleep(2);
                    cancelled.put(body, ctx.isCancelled());
                    handled.add(body);
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(handled).containsExactly("first", "second");
      assertThat(cancelled).containsEntry("first", false).containsEntry("second", false);
      assertThat(allowed.get("second")).isGreaterThan(Duration.ofMillis(2500));
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  private Worker startWithFaults(WorkerConfig config, MessageHandler<String> handler) {
    var client =
        fixture.sqs.newAsyncClient(
            b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
    return fixture.start(
        Worker.builder()
            .client(client)
            .config(config)
            .meterRegistry(fixture.registry)
            .handler(String.class, handler));
  }

  /** Case 10: a delete whose batch entry failed transiently is retried, not left to redeliver. */
  @Test
  void aTransientlyFailedDeleteIsRetried() {
    var rule = faults.on("DeleteMessageBatch").calls(1).failEntries("InternalError");
    AtomicInteger runs = new AtomicInteger();
    startWithFaults(fixture.config().build(), (body, ctx) -> runs.incrementAndGet());
    fixture.send("once");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    assertThat(rule.injected()).isEqualTo(1);
    assertThat(runs).hasValue(1);
  }

  /** Case 10: one transient extension failure is retried and does not cancel the handler. */
  @Test
  void aTransientExtensionFailureDoesNotCancelTheHandler() {
    var rule = faults.on("ChangeMessageVisibilityBatch").calls(1).failEntries("ServiceUnavailable");
    Map<Integer, Boolean> cancelledByRun = new ConcurrentHashMap<>();
    AtomicInteger runs = new AtomicInteger();
    startWithFaults(
        fixture.config().visibilityTimeout(Duration.ofSeconds(2)).build(),
        (body, ctx) -> {
          int run = runs.incrementAndGet();
          // Simulated work longer than the visibility timeout: the heartbeat must extend it.
          TimeUnit.MILLISECONDS.sleep(3_000);
          cancelledByRun.put(run, ctx.isCancelled());
        });
    fixture.send("long");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    assertThat(rule.injected()).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(cancelledByRun).containsEntry(1, false);
  }

  /** Case 10: a dead-letter publisher that throws at once is a failed send: tried again soon. */
  @Test
  void aPublisherThatThrowsIsAFailedSendNotALostMessage() {
    AtomicInteger publishes = new AtomicInteger();
    List<String> published = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    fixture.start(
        fixture
            .worker(fixture.config().build())
            .deadLetterPublisher(
                (message, reason) -> {
                  if (publishes.incrementAndGet() == 1) {
                    throw new IllegalStateException("publisher not ready");
                  }
                  published.add(message.body());
                  return java.util.concurrent.CompletableFuture.completedFuture(null);
                })
            .handler(
                String.class,
                (body, ctx) -> {
                  runs.incrementAndGet();
                  throw new NonRetryableException("bad " + body);
                }));
    fixture.send("poison");
    await().atMost(Duration.ofSeconds(15)).until(() -> published.size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    assertThat(publishes).hasValue(2);
    assertThat(runs.get()).isBetween(1, 2);
  }

  /**
   * Case 10: a dead-letter send still in flight when {@code close()} gives up waiting leaves its
   * message released (visibility 0), not invisible for the rest of its visibility timeout.
   */
  @Test
  void aDeadLetterSendInFlightAtCloseLeavesTheMessageReleased() throws InterruptedException {
    CountDownLatch publishing = new CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Void> neverSent =
        new java.util.concurrent.CompletableFuture<>();
    Worker worker =
        fixture.start(
            fixture
                .worker(fixture.config().visibilityTimeout(Duration.ofSeconds(60)).build())
                .deadLetterPublisher(
                    (message, reason) -> {
                      publishing.countDown();
                      return neverSent;
                    })
                .handler(
                    String.class,
                    (body, ctx) -> {
                      throw new NonRetryableException("bad " + body);
                    }));
    fixture.send("poison-at-close");
    assertThat(publishing.await(20, TimeUnit.SECONDS)).isTrue();
    worker.close();
    Instant closed = Instant.now();
    try {
      List<Message> back =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      fixture
                          .sync()
                          .receiveMessage(
                              b -> b.queueUrl(fixture.queues.queueUrl()).waitTimeSeconds(1))
                          .messages(),
                  messages -> !messages.isEmpty());
      assertThat(back).extracting(Message::body).containsExactly("poison-at-close");
      assertThat(Duration.between(closed, Instant.now()))
          .as("back long before its 60 s visibility timeout ended")
          .isLessThan(Duration.ofSeconds(15));
    } finally {
      neverSent.cancel(false);
    }
  }

  /** Case 10: FIFO receives carry a ReceiveRequestAttemptId, the same one again after a failure. */
  @Test
  void fifoReceivesCarryAnAttemptIdKeptAcrossAFailure(LocalSqs sqs) {
    var q = QueueFixture.fifo(sqs, "fifo-attempt");
    List<String> attemptIds = new CopyOnWriteArrayList<>();
    SqsFaults receiveFaults = new SqsFaults();
    receiveFaults.on("ReceiveMessage").calls(2).serverError();
    var client =
        sqs.newAsyncClient(
            b ->
                b.overrideConfiguration(
                    o ->
                        o.addExecutionInterceptor(
                                new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                                  @Override
                                  public void beforeExecution(
                                      software.amazon.awssdk.core.interceptor.Context
                                              .BeforeExecution
                                          context,
                                      software.amazon.awssdk.core.interceptor.ExecutionAttributes
                                          attributes) {
                                    if (context.request()
                                        instanceof
                                        software.amazon.awssdk.services.sqs.model
                                                .ReceiveMessageRequest
                                            r) {
                                      attemptIds.add(String.valueOf(r.receiveRequestAttemptId()));
                                    }
                                  }
                                })
                            .addExecutionInterceptor(receiveFaults)));
    try {
      q.start(
          Worker.builder()
              .client(client)
              .config(q.config().pollers(1).build())
              .meterRegistry(q.registry)
              .handler(String.class, (b, c) -> {}));
      await().atMost(Duration.ofSeconds(20)).until(() -> attemptIds.size() >= 4);
    } finally {
      q.close();
      client.close();
    }
    assertThat(attemptIds).doesNotContain("null");
    // Receive 1 answered (a new id follows), receive 2 failed (its id is sent again).
    assertThat(attemptIds.get(1)).isNotEqualTo(attemptIds.get(0));
    assertThat(attemptIds.get(2)).isEqualTo(attemptIds.get(1));
  }

  /**
   * Case 4: a dead letter that would exceed SQS's size rule (256 KiB: body, attribute names, types
   * and values) is made to fit - the reason shortened, then the user's attributes dropped with a
   * note - instead of failing and coming back forever.
   */
  @Test
  void aDeadLetterIsMadeToFitTheSqsSizeLimit() {
    String body = "x".repeat(261_000);
    fixture
        .sync()
        .sendMessage(
            b ->
                b.queueUrl(fixture.queues.queueUrl())
                    .messageBody(body)
                    .messageAttributes(
                        Map.of(
                            "note",
                            software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                                .builder()
                                .dataType("String")
                                .stringValue("y".repeat(1000))
                                .build())));
    AtomicInteger runs = new AtomicInteger();
    // ElasticMQ does not check the size rule; the interceptor does, as SQS would.
    var refused = faults.on("SendMessage").always().refuseLargerThan(262_144);
    startWithFaults(
        fixture.config().build(),
        (b, ctx) -> {
          runs.incrementAndGet();
          throw new NonRetryableException("z".repeat(1000));
        });
    await().atMost(Duration.ofSeconds(20)).until(() -> fixture.depth(fixture.queues.dlqUrl()) == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    Message dead = fixture.drainDlq().get(0);
    assertThat(dead.body()).isEqualTo(body);
    FailureReason reason = FailureReason.fromJson(reasonJson(dead));
    assertThat(reason.kind()).isEqualTo(FailureKind.NON_RETRYABLE);
    assertThat(reason.errorMessage()).contains("…");
    assertThat(refused.injected()).isZero();
    assertThat(runs).hasValue(1);
  }
}
