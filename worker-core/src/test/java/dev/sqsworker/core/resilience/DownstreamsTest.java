package dev.sqsworker.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.MutableClock;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.resilience.internal.OpenBreakers;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The composition of resilience4j's layers, on in-process calls. */
class DownstreamsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Downstreams downstreams;

  @AfterEach
  void close() {
    if (downstreams != null) {
      downstreams.close();
    }
  }

  private Downstream payments(DownstreamConfig.Builder config) {
    downstreams =
        Downstreams.builder()
            .downstream("payments", config.build())
            .clock(clock)
            .meterRegistry(registry)
            .random(() -> 0.5)
            .build();
    return downstreams.get("payments");
  }

  private static DownstreamConfig.Builder fast() {
    return DownstreamConfig.builder()
        .retryBase(Duration.ofMillis(1))
        .retryCap(Duration.ofMillis(2))
        .breakerOpenFor(Duration.ofSeconds(30));
  }

  @Test
  void retriesABlipWithinTheCall() throws Exception {
    Downstream payments = payments(fast());
    AtomicInteger calls = new AtomicInteger();
    String result =
        payments.call(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IOException("connection reset");
              }
              return "ok";
            });
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(2);
  }

  @Test
  void throwsTheLastFailureWhenEveryAttemptFails() {
    Downstream payments = payments(fast().retryAttempts(3));
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                payments.run(
                    () -> {
                      throw new HttpStatusException(503, "down " + calls.incrementAndGet());
                    }))
        .isInstanceOf(HttpStatusException.class)
        .hasMessage("down 3");
  }

  @Test
  void clientErrorsAreNeitherRetriedNorCountedAgainstTheBreaker() {
    Downstream payments = payments(fast().breakerWindow(10).breakerMinCalls(5));
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(
              () ->
                  payments.run(
                      () -> {
                        calls.incrementAndGet();
                        throw new HttpStatusException(404, "HTTP 404 from GET /orders/7");
                      }))
          .isInstanceOf(DownstreamRejectedException.class)
          .isInstanceOf(NonRetryableException.class)
          .hasMessage("downstream 'payments' rejected the call: HTTP 404 from GET /orders/7")
          .hasCauseInstanceOf(HttpStatusException.class);
    }
    assertThat(calls).hasValue(20);
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void anOpenBreakerRefusesAtOnceWithItsRemainingOpenTime() throws Exception {
    Downstream payments = payments(fast().retryAttempts(1).breakerWindow(4).breakerMinCalls(4));
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(
              () ->
                  payments.run(
                      () -> {
                        calls.incrementAndGet();
                        throw new HttpStatusException(500, "boom");
                      }))
          .isInstanceOf(HttpStatusException.class);
    }
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(new OpenBreakers(List.of(payments)).get())
        .isEqualTo("circuit breaker payments is OPEN");

    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> payments.run(calls::incrementAndGet))
        .isInstanceOfSatisfying(
            DownstreamUnavailableException.class,
            e -> {
              assertThat(e.downstream()).isEqualTo("payments");
              assertThat(e.retryIn()).isEqualTo(Duration.ofSeconds(20));
            });
    assertThat(calls).hasValue(4);
    assertThat(payments.remainingOpenTime()).isEqualTo(Duration.ofSeconds(20));

    clock.advance(Duration.ofSeconds(21));
    assertThat(payments.call(() -> "trial")).isEqualTo("trial");
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(new OpenBreakers(List.of(payments)).get()).isNull();
    payments.call(() -> "trial");
    payments.call(() -> "trial");
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(payments.remainingOpenTime()).isZero();
  }

  @Test
  void aSlowCallTimesOutAndIsInterrupted() {
    Downstream payments = payments(fast().retryAttempts(1).timeout(Duration.ofMillis(100)));
    CountDownLatch interrupted = new CountDownLatch(1);
    assertThatThrownBy(
            () ->
                payments.run(
                    () -> {
                      try {
                        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                    }))
        .isInstanceOf(TimeoutException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.getCount() == 0);
  }

  @Test
  void aCancelledHandlerGetsItsInterruptBackAndTheCallIsStopped() throws Exception {
    Downstream payments = payments(fast().breakerMinCalls(1).breakerWindow(1));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch callInterrupted = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread handler =
        new Thread(
            () -> {
              try {
                payments.run(
                    () -> {
                      entered.countDown();
                      try {
                        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        callInterrupted.countDown();
                      }
                    });
                outcome.complete(null);
              } catch (Exception e) {
                outcome.complete(e);
              }
            });
    handler.start();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    handler.interrupt();
    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(callInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aFullBulkheadRefusesWithoutCountingAgainstTheBreaker() throws Exception {
    Downstream payments =
        payments(
            fast().retryAttempts(1).maxConcurrent(1).maxWait(Duration.ZERO).breakerMinCalls(1));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    CompletableFuture<Object> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return payments.call(
                    () -> {
                      entered.countDown();
                      return release.await(10, TimeUnit.SECONDS);
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> payments.call(() -> "second"))
        .isInstanceOf(BulkheadFullException.class);
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(true);
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(
            registry
                .get("resilience4j.circuitbreaker.calls")
                .tags("name", "payments", "kind", "failed")
                .timer()
                .count())
        .isZero();
  }

  @Test
  void aShortRetryAfterIsWaitedWithinTheCallAndALongOneIsNot() throws Exception {
    Downstream payments = payments(fast().retryAfterMax(Duration.ofSeconds(1)));
    AtomicInteger calls = new AtomicInteger();
    long start = System.nanoTime();
    payments.call(
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new HttpStatusException(429, Duration.ofMillis(300), "slow down");
          }
          return "ok";
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(290));
    assertThat(calls).hasValue(2);

    AtomicInteger later = new AtomicInteger();
    assertThatThrownBy(
            () ->
                payments.run(
                    () -> {
                      later.incrementAndGet();
                      throw new HttpStatusException(503, Duration.ofSeconds(30), "maintenance");
                    }))
        .isInstanceOf(HttpStatusException.class);
    assertThat(later).hasValue(1);
  }

  @Test
  void anAdaptiveLimitShrinksWhileTheDownstreamIsSlowAndGrowsBackWhenItIsFast() throws Exception {
    AtomicLong nanos = new AtomicLong();
    downstreams =
        Downstreams.builder()
            .downstream(
                "payments",
                fast()
                    .maxConcurrent(8)
                    .adaptiveConcurrency(true)
                    .adaptiveLatency(Duration.ofMillis(100))
                    .build())
            .nanoTime(nanos::get)
            .meterRegistry(registry)
            .build();
    Downstream payments = downstreams.get("payments");
    assertThat(payments.concurrencyLimit()).isEqualTo(8);

    for (int i = 0; i < 20; i++) {
      payments.call(() -> nanos.addAndGet(Duration.ofMillis(500).toNanos()));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> payments.concurrencyLimit() == 1);
    assertThat(
            registry
                .get("resilience4j.bulkhead.max.allowed.concurrent.calls")
                .tag("name", "payments")
                .gauge()
                .value())
        .isEqualTo(1.0);

    // One call at a time uses the whole limit of 1, then of 2, but not half of 3.
    for (int i = 0; i < 5; i++) {
      payments.call(() -> nanos.addAndGet(Duration.ofMillis(5).toNanos()));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> payments.concurrencyLimit() == 3);
  }

  @Test
  void breakerAndRetryMetricsAreTaggedWithTheName() throws Exception {
    Downstream payments = payments(fast());
    payments.call(() -> "ok");
    assertThat(registry.get("resilience4j.circuitbreaker.state").tag("name", "payments").gauges())
        .isNotEmpty();
    assertThat(registry.get("resilience4j.retry.calls").tag("name", "payments").functionCounters())
        .isNotEmpty();
    assertThat(downstreams.breakerStates()).containsEntry("payments", CircuitBreaker.State.CLOSED);
  }

  @Test
  void environmentOverridesCodeAndDefaultsApplyToOtherNames() {
    downstreams =
        Downstreams.builder()
            .defaults(DownstreamConfig.builder().retryAttempts(2).build())
            .downstream("payments", DownstreamConfig.builder().rateLimit(50).build())
            .environment(Map.of("SQSWORKER_DOWNSTREAM_PAYMENTS_RATE_LIMIT", "20"))
            .build();
    assertThat(downstreams.get("payments").config().rateLimit()).isEqualTo(20);
    assertThat(downstreams.get("payments").config().retryAttempts()).isEqualTo(3);
    assertThat(downstreams.get("ledger").config().retryAttempts()).isEqualTo(2);
    assertThat(downstreams.get("payments")).isSameAs(downstreams.get("payments"));
  }

  @Test
  void everyDownstreamVariableIsCheckedWhenBuilt() {
    assertThatThrownBy(
            () ->
                Downstreams.builder()
                    .environment(
                        Map.of(
                            "SQSWORKER_DOWNSTREAM_LEDGER_TIMEOUT", "0s",
                            "SQSWORKER_DOWNSTREAM_LEDGER_COLOUR", "red",
                            "SQSWORKER_QUEUE_URL", "ignored"))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "SQSWORKER_DOWNSTREAM_LEDGER_TIMEOUT: timeout must be between"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "SQSWORKER_DOWNSTREAM_LEDGER_COLOUR: not a downstream option")));
  }
}
