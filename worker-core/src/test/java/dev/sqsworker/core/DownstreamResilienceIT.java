package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.TestDownstream.Answer;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.DownstreamRejectedException;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.core.resilience.HttpStatusException;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Handlers calling a real HTTP downstream through {@link Downstream}, on the embedded SQS server:
 * outages park messages and pause polling, 4xx dead-letters without retries, rate limits hold,
 * Retry-After is honoured.
 */
@WithLocalServices
class DownstreamResilienceIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

  /** When each call got through the downstream's layers (its permit), before its request left. */
  private final Queue<Long> permitted = new ConcurrentLinkedQueue<>();

  private TestDownstream server;
  private QueueFixture queue;

  @BeforeEach
  void setUp(LocalSqs sqs) throws Exception {
    server = new TestDownstream();
    queue = QueueFixture.standard(sqs, "downstream");
    closing.add(server);
    closing.add(queue);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private Downstreams downstreams(DownstreamConfig config) {
    Downstreams downstreams =
        Downstreams.builder().downstream("payments", config).meterRegistry(queue.registry).build();
    closing.add(downstreams);
    return downstreams;
  }

  /** A handler that posts the body to /pay/BODY through the downstream. */
  private MessageHandler<String> paying(Downstream payments) {
    return (body, context) -> {
      attempts.merge(body, context.attempt(), Math::max);
      HttpRequest request =
          HttpRequest.newBuilder(server.uri("/pay/" + body))
              .timeout(Duration.ofSeconds(5))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      payments.run(
          () -> {
            permitted.add(System.nanoTime());
            HttpStatusException.requireSuccess(
                HTTP.send(request, HttpResponse.BodyHandlers.discarding()));
          });
      handled.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
    };
  }

  private static HikariDataSource pool(LocalPostgres postgres) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("resilience")));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(2_000);
    return new HikariDataSource(config);
  }

  @Test
  void anOutageParksMessagesAndPausesPollingWithoutBurningAttemptsOrFillingTheDlq(
      LocalPostgres postgres) {
    HikariDataSource pool = pool(postgres);
    closing.add(0, pool);
    Downstreams downstreams =
        downstreams(
            DownstreamConfig.builder()
                .breakerWindow(10)
                .breakerMinCalls(10)
                .breakerOpenFor(Duration.ofSeconds(2))
                .retryAttempts(2)
                .retryBase(Duration.ofMillis(20))
                .retryCap(Duration.ofMillis(100))
                .build());
    Downstream payments = downstreams.get("payments");
    int count = 500;
    queue.sendMany(count, i -> "m" + i);

    Worker worker =
        queue.start(
            queue
                .worker(queue.config().concurrency(10).maxAttempts(5).build())
                .idempotency(Idempotency.postgres(pool).build())
                .dependsOn(downstreams, "payments")
                .handler(String.class, paying(payments)));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 100);

    server.answer(Answer.status(500));
    AtomicReference<String> pausedBy = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              worker.health().pausedBy().ifPresent(pausedBy::set);
              return pausedBy.get() != null;
            });
    assertThat(pausedBy.get()).isEqualTo("circuit breaker payments is OPEN");
    // The breaker goes half-open on time without any call, so polling resumes by itself.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> queue.registry.get("sqsworker.poll.paused").timer().count() >= 1);
    assertThat(queue.counter("sqsworker.messages.parked")).isPositive();

    server.answer(Answer.ok());
    await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == count);
    await().atMost(Duration.ofSeconds(20)).until(() -> queue.depth(queue.queues.queueUrl()) == 0);

    assertThat(queue.depth(queue.queues.dlqUrl())).isZero();
    assertThat(handled.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(server.succeeded).hasSize(count);
    assertThat(server.succeeded.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    // Only calls that really failed before the breaker knew used an attempt; parked ones did not.
    assertThat(attempts.values()).allSatisfy(a -> assertThat(a).isLessThan(5));
    assertThat(attempts.values().stream().filter(a -> a > 1).count()).isLessThan(40);
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(worker.health().pausedBy()).isEmpty();
  }

  @Test
  void clientErrorsAreNotRetriedDoNotOpenTheBreakerAndAreDeadLetteredWithTheirReason() {
    Downstream payments =
        downstreams(
                DownstreamConfig.builder()
                    .breakerWindow(10)
                    .breakerMinCalls(5)
                    .retryBase(Duration.ofMillis(10))
                    .build())
            .get("payments");
    server.answer(path -> path.contains("bad") ? Answer.status(404) : Answer.ok());
    queue.sendMany(15, i -> "bad" + i);
    queue.sendMany(5, i -> "good" + i);

    queue.start(
        queue
            .worker(queue.config().concurrency(4).maxAttempts(3).build())
            .pauseWhileOpen(payments)
            .handler(String.class, paying(payments)));
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.depth(queue.queues.dlqUrl()) == 15);
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);

    List<Message> dead = queue.drainDlq();
    assertThat(dead).hasSize(15);
    for (Message m : dead) {
      FailureReason reason =
          FailureReason.fromJson(m.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
      assertThat(reason.kind()).isEqualTo(FailureKind.NON_RETRYABLE);
      assertThat(reason.errorClass()).isEqualTo(DownstreamRejectedException.class.getName());
      assertThat(reason.errorMessage())
          .startsWith("downstream 'payments' rejected the call: HTTP 404 from POST");
      assertThat(reason.attempts()).isEqualTo(1);
    }
    for (int i = 0; i < 15; i++) {
      assertThat(server.callsTo("/pay/bad" + i)).hasSize(1);
    }
    assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(
            queue
                .registry
                .get("resilience4j.circuitbreaker.calls")
                .tags("name", "payments", "kind", "failed")
                .timer()
                .count())
        .isZero();
  }

  @Test
  void theRateLimiterHoldsTheDownstreamToItsRateAcrossConcurrentHandlers() {
    // 20 calls per second, refilled in steps of 2 per 100 ms so that the rate is smooth.
    Downstream payments =
        downstreams(
                DownstreamConfig.builder()
                    .rate(2, Duration.ofMillis(100))
                    .maxWait(Duration.ofSeconds(10))
                    .build())
            .get("payments");
    int count = 70;
    queue.sendMany(count, i -> "r" + i);
    queue.start(
        queue
            .worker(queue.config().concurrency(16).build())
            .handler(String.class, paying(payments)));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == count);

    assertThat(server.calls).hasSize(count);
    // Timed where the permit was used, not where the request arrived: the way to the server adds
    // jitter (more under load) that is not the limiter's.
    List<Long> at = permitted.stream().sorted().toList();
    assertThat(at).hasSize(count);
    double seconds = (at.get(at.size() - 1) - at.get(0)) / 1e9;
    double rate = (count - 1) / seconds;
    assertThat(rate).as("calls per second").isBetween(14.0, 24.0);
    // No second holds more than the limit, plus one refill step of slack for timing.
    long second = Duration.ofSeconds(1).toNanos();
    for (int i = 0; i < at.size(); i++) {
      long from = at.get(i);
      long inSecond = at.stream().filter(t -> t >= from && t < from + second).count();
      assertThat(inSecond).as("calls in the second after call %d", i).isLessThanOrEqualTo(24);
    }
  }

  @Test
  void retryAfterIsWaitedInTheHandlerWhenShortAndByVisibilityWhenLong() {
    Downstream payments =
        downstreams(DownstreamConfig.builder().retryAfterMax(Duration.ofMillis(1500)).build())
            .get("payments");
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    server.answer(
        path -> {
          int call = seen.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          if (call > 1) {
            return Answer.ok();
          }
          return path.endsWith("short") ? Answer.throttled(429, "1") : Answer.throttled(503, "3");
        });
    queue.send("short");
    queue.send("long");
    queue.start(
        queue
            .worker(queue.config().concurrency(2).build())
            .handler(String.class, paying(payments)));
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 2);

    List<TestDownstream.Call> shortCalls = server.callsTo("/pay/short");
    assertThat(shortCalls).extracting(TestDownstream.Call::status).containsExactly(429, 200);
    assertThat(gap(shortCalls)).isBetween(Duration.ofMillis(950), Duration.ofMillis(2900));
    assertThat(attempts).containsEntry("short", 1);

    List<TestDownstream.Call> longCalls = server.callsTo("/pay/long");
    assertThat(longCalls).extracting(TestDownstream.Call::status).containsExactly(503, 200);
    assertThat(gap(longCalls)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(attempts).containsEntry("long", 2);
    assertThat(queue.depth(queue.queues.dlqUrl())).isZero();
  }

  private static Duration gap(List<TestDownstream.Call> calls) {
    return Duration.ofNanos(calls.get(1).atNanos() - calls.get(0).atNanos());
  }
}
