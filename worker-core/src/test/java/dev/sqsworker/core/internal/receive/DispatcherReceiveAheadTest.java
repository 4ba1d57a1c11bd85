package dev.sqsworker.core.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The permits the pollers may take: the handler slots plus the receive-ahead allowance. */
class DispatcherReceiveAheadTest {

  private static final long MS = 1_000_000L;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong nanos = new AtomicLong(1_000 * MS);
  private final Queue<Runnable> handlerThreads = new ArrayDeque<>();
  private final List<Long> waits = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  /** A sink whose handler runs {@code handler}, then settles the message. */
  private static MessageSink settling(Runnable handler) {
    return new MessageSink() {
      @Override
      public void prepare(List<InFlightMessage> batch) {}

      @Override
      public Outcome process(InFlightMessage m) {
        handler.run();
        m.markSettled();
        return Outcome.SUCCEEDED;
      }

      @Override
      public Outcome release(InFlightMessage m, String why) {
        m.markSettled();
        return Outcome.RELEASED;
      }
    };
  }

  private Dispatcher dispatcher(int concurrency, int receiveAhead) {
    return dispatcher(concurrency, receiveAhead, handlerThreads::add, settling(() -> {}));
  }

  private Dispatcher dispatcher(
      int concurrency, int receiveAhead, java.util.concurrent.Executor executor, MessageSink sink) {
    return new Dispatcher(
        concurrency,
        receiveAhead,
        executor,
        sink,
        false,
        (message, at) ->
            new InFlightMessage(
                message, at, at.plusSeconds(30), at.plus(Duration.ofHours(12)).minusSeconds(1)),
        nanos::get,
        waits::add);
  }

  private List<Message> messages(int n) {
    List<Message> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = ids.incrementAndGet();
      list.add(Message.builder().messageId("m" + id).receiptHandle("r" + id).body("{}").build());
    }
    return list;
  }

  /** One full receive of {@code n} messages that took 10 ms, then every handler runs. */
  private void receiveAndHandle(Dispatcher d, int n) throws InterruptedException {
    int got = d.acquire(n, Duration.ofMillis(1));
    assertThat(got).isEqualTo(n);
    d.received(Duration.ofMillis(10), n, n);
    d.dispatch(messages(n), T0);
    runHandlers();
  }

  private void runHandlers() {
    Runnable task;
    while ((task = handlerThreads.poll()) != null) {
      task.run();
    }
  }

  @Test
  void onePollerGathersAtATimeSoFreedSlotsAreNotSplitBetweenReceives() throws Exception {
    Dispatcher d = dispatcher(4, 10);
    assertThat(d.acquire(4, Duration.ofMillis(1))).isEqualTo(4); // every slot busy
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(() -> d.acquire(10, Duration.ofSeconds(20)));
      var second = pool.submit(() -> d.acquire(10, Duration.ofSeconds(20)));
      org.awaitility.Awaitility.await().until(d::gathererWaiting);
      d.release(4); // four slots free at once
      int one =
          java.util.concurrent.CompletableFuture.anyOf(
                  java.util.concurrent.CompletableFuture.supplyAsync(() -> get(first)),
                  java.util.concurrent.CompletableFuture.supplyAsync(() -> get(second)))
              .thenApply(Integer.class::cast)
              .get(20, java.util.concurrent.TimeUnit.SECONDS);
      // One receive takes all four; the other poller waits for slots still to free.
      assertThat(one).isEqualTo(4);
      assertThat(first.isDone() && second.isDone()).isFalse();
      d.release(1);
      assertThat(first.isDone() ? get(second) : get(first)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int get(java.util.concurrent.Future<Integer> f) {
    try {
      return f.get(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void withoutAKnownRateNoMoreThanTheFreeSlots() throws InterruptedException {
    Dispatcher d = dispatcher(2, 10);
    assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(2);
    assertThat(d.acquire(10, Duration.ofMillis(1))).isZero();
  }

  @Test
  void fastHandlersLetThePollersReceiveTheSlotsThatFreeWithinOneRoundTrip()
      throws InterruptedException {
    Dispatcher d = dispatcher(2, 10);
    for (int i = 0; i < 25; i++) {
      receiveAndHandle(d, 2); // 50 completions in the window: one per 2 ms
    }
    nanos.addAndGet(100 * MS);
    // 10 ms round trip × 0.5 completions per ms = 5 ahead of the 2 slots.
    assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(7);
    assertThat(d.receiveAheadAllowance()).isEqualTo(5);
  }

  @Test
  void stalledHandlersStopTheReceivingAhead() throws InterruptedException {
    Dispatcher d = dispatcher(2, 10);
    for (int i = 0; i < 25; i++) {
      receiveAndHandle(d, 2);
    }
    nanos.addAndGet(100 * MS);
    int got = d.acquire(10, Duration.ofMillis(1));
    assertThat(got).isEqualTo(7);
    d.received(Duration.ofMillis(10), got, got);
    d.dispatch(messages(got), T0);
    // No handler finishes for a window: the allowance drops to 0 and 7 held > 2 slots.
    nanos.addAndGet(100 * MS);
    assertThat(d.acquire(10, Duration.ofMillis(1))).isZero();
    assertThat(d.receiveAheadAllowance()).isZero();
    runHandlers();
    assertThat(d.inFlightCount()).isZero();
    assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(2);
  }

  @Test
  void receiveAheadZeroNeverHoldsMoreThanTheSlots() throws InterruptedException {
    Dispatcher d = dispatcher(2, 0);
    for (int i = 0; i < 25; i++) {
      receiveAndHandle(d, 2);
    }
    nanos.addAndGet(100 * MS);
    assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(2);
  }

  @Test
  void shutdownWaitsForEveryHeldMessageIncludingThoseReceivedAhead() throws InterruptedException {
    Dispatcher d = dispatcher(2, 10);
    for (int i = 0; i < 25; i++) {
      receiveAndHandle(d, 2);
    }
    nanos.addAndGet(100 * MS);
    int got = d.acquire(10, Duration.ofMillis(1));
    d.dispatch(messages(got), T0);
    assertThat(d.awaitIdle(Duration.ofMillis(1))).isFalse();
    runHandlers();
    assertThat(d.awaitIdle(Duration.ofMillis(1))).isTrue();
    // After the drain began nothing is received ahead any more.
    assertThat(d.receiveAheadAllowance()).isZero();
  }

  @Test
  void theWaitFromArrivalToAHandlerThreadIsReported() throws InterruptedException {
    Dispatcher d = dispatcher(2, 10);
    assertThat(d.acquire(2, Duration.ofMillis(1))).isEqualTo(2);
    d.dispatch(messages(2), T0);
    nanos.addAndGet(7 * MS);
    runHandlers();
    assertThat(waits).containsExactly(7 * MS, 7 * MS);
  }

  /**
   * Handlers that take about the same time each and started together: their replacements are
   * received while they run, once they are within a round trip of their usual run time, instead of
   * after their slots free; a handler overdue for longer than that is no longer counted on.
   */
  @Test
  void handlersAboutToFinishTogetherGetTheirReplacementsReceivedWhileTheyRun() throws Exception {
    java.util.concurrent.Semaphore finish = new java.util.concurrent.Semaphore(0);
    java.util.concurrent.atomic.AtomicBoolean hold =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(0);
    MessageSink timed =
        settling(
            () -> {
              if (hold.get()) {
                running.release();
                finish.acquireUninterruptibly();
              } else {
                nanos.addAndGet(100 * MS); // each run takes 100 ms on the test ticker
              }
            });
    var threads = java.util.concurrent.Executors.newCachedThreadPool();
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Executor> executor =
        new java.util.concurrent.atomic.AtomicReference<>(handlerThreads::add);
    Dispatcher d = dispatcher(10, 10, r -> executor.get().execute(r), timed);
    try {
      for (int i = 0; i < 3; i++) {
        receiveAndHandle(d, 10); // learns: runs of 100 ms, receives of 10 ms
      }
      // Ten handlers start together and run on.
      hold.set(true);
      executor.set(threads);
      assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(10);
      d.received(Duration.ofMillis(10), 10, 10);
      d.dispatch(messages(10), T0);
      running.acquire(10);
      nanos.addAndGet(60 * MS);
      assertThat(d.acquire(10, Duration.ofMillis(1))).as("60 ms in: not yet").isZero();
      nanos.addAndGet(15 * MS);
      // 75 ms in: within a round trip (10 ms) and the fill wait (20 ms) of finishing.
      assertThat(d.acquire(10, Duration.ofMillis(1))).isEqualTo(10);
      assertThat(d.receiveAheadAllowance()).isEqualTo(10);
      // One of them finishes while pollers wait for permits: the message received for it takes
      // its slot, and no second one is received for the same slot.
      var pollers = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var first = pollers.submit(() -> d.acquire(10, Duration.ofMillis(500)));
        var second = pollers.submit(() -> d.acquire(10, Duration.ofMillis(500)));
        org.awaitility.Awaitility.await().until(d::gathererWaiting);
        finish.release();
        org.awaitility.Awaitility.await().until(() -> d.inFlightCount() == 9);
        assertThat(get(first) + get(second)).isZero();
      } finally {
        pollers.shutdownNow();
      }
      assertThat(d.receiveAheadAllowance()).isEqualTo(9);
      nanos.addAndGet(200 * MS);
      // Overdue: they may run for a long while yet, so nothing more is received for them.
      assertThat(d.acquire(10, Duration.ofMillis(1))).isZero();
      assertThat(d.receiveAheadAllowance()).isZero();
    } finally {
      finish.release(10);
      threads.shutdown();
      assertThat(threads.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }
}
