package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

@WithLocalServices
class WorkerIdempotencyIT {

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private LocalSqs sqs;
  private QueuePair queues;
  private HikariDataSource pool;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void setUp(LocalSqs sqs, LocalPostgres postgres) {
    this.sqs = sqs;
    this.queues = sqs.createQueueWithDlq("idem-" + NAMES.incrementAndGet(), 50);
    this.pool = pool(postgres, postgres.createDatabase("idem_worker"));
    this.registry = new SimpleMeterRegistry();
    closing.add(pool);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private static HikariDataSource pool(LocalPostgres postgres, String db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(db));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(2_000);
    return new HikariDataSource(config);
  }

  private SqsAsyncClient client() {
    SqsAsyncClient client = sqs.newAsyncClient();
    closing.add(client);
    return client;
  }

  private WorkerConfig.Builder config() {
    return WorkerConfig.builder()
        .queueUrl(queues.queueUrl())
        .dlqUrl(queues.dlqUrl())
        .waitTime(Duration.ofSeconds(1))
        .backoff(BackoffPolicy.fixed(Duration.ZERO))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  private Worker start(WorkerConfig config, Idempotency idempotency, StringHandler handler) {
    Worker worker =
        Worker.builder()
            .client(client())
            .config(config)
            .idempotency(idempotency)
            .meterRegistry(registry)
            .handler(String.class, handler::handle)
            .build();
    closing.add(worker);
    worker.start();
    return worker;
  }

  @FunctionalInterface
  interface StringHandler {
    void handle(String body, dev.sqsworker.core.MessageContext context) throws Exception;
  }

  private void send(String body, String key) {
    sqs.client()
        .sendMessage(
            b -> {
              b.queueUrl(queues.queueUrl()).messageBody(body);
              if (key != null) {
                b.messageAttributes(
                    Map.of(
                        Idempotency.DEFAULT_KEY_ATTRIBUTE,
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue(key)
                            .build()));
              }
            });
  }

  @Test
  void duplicatesWithTheSameKeyRunTheHandlerOnce() {
    for (int i = 0; i < 3; i++) {
      send("{\"order\":1}", "order-1");
    }
    send("{\"order\":2}", "order-2");
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<String> keys = new CopyOnWriteArrayList<>();
    start(
        config().build(),
        Idempotency.postgres(pool).build(),
        (body, ctx) -> {
          runs.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
          keys.add(ctx.idempotencyKey().orElseThrow());
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(runs).hasSize(2);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(keys).containsExactlyInAnyOrder("order-1", "order-2");
    assertThat(registry.get("sqsworker.messages.duplicates").counter().count()).isEqualTo(2);
  }

  @Test
  void aKeyReusedWithAnotherPayloadIsDeadLettered() {
    send("{\"amount\":10}", "pay-1");
    AtomicInteger runs = new AtomicInteger();
    start(config().build(), Idempotency.postgres(pool).build(), (b, c) -> runs.incrementAndGet());
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 1);
    send("{\"amount\":99}", "pay-1");
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.dlqUrl()) == 1);
    FailureReason reason =
        FailureReason.fromJson(
            sqs.drain(queues.dlqUrl())
                .get(0)
                .messageAttributes()
                .get(FailureReason.ATTRIBUTE)
                .stringValue());
    assertThat(reason.kind()).isEqualTo(FailureKind.IDEMPOTENCY_KEY_REUSED);
    assertThat(reason.errorMessage()).contains("'pay-1'");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aLiveLeaseElsewhereHoldsTheMessageUntilItExpiresWithoutBurningAttempts() {
    String body = "{\"job\":\"held\"}";
    IdempotencyStore store = IdempotencyStore.postgres(pool);
    IdempotencySchema.migrate(pool);
    Instant now = Instant.now();
    // A worker that died mid-message: its lease runs for three more seconds.
    ClaimResult held =
        store
            .claim(
                queues.queueUrl().substring(queues.queueUrl().lastIndexOf('/') + 1),
                List.of(new ClaimRequest("job-held", hashOf(body), UUID.randomUUID().toString())),
                "dead-worker",
                now,
                now.plusSeconds(3),
                now.plus(Duration.ofDays(1)))
            .get(0);
    assertThat(held.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    send(body, "job-held");
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<Integer> receives = new CopyOnWriteArrayList<>();
    start(
        config().maxAttempts(2).build(),
        Idempotency.postgres(pool).build(),
        (b, ctx) -> {
          attempts.add(ctx.attempt());
          receives.add(ctx.receiveCount());
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() == 1);
    Instant ran = Instant.now();
    assertThat(ran).isAfterOrEqualTo(now.plusSeconds(3));
    // The takeover is the key's second claim; the parked receives did not count.
    assertThat(attempts).containsExactly(2);
    assertThat(receives.get(0)).isGreaterThanOrEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(sqs.messageCount(queues.dlqUrl())).isZero();
  }

  private static String hashOf(String body) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoWorkersOnOneQueueNeverRunAKeyTwiceOrAtOnce() {
    int keys = 40;
    for (int copy = 0; copy < 4; copy++) {
      for (int k = 0; k < keys; k++) {
        send("{\"k\":" + k + "}", "key-" + k);
      }
    }
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    StringHandler handler =
        (body, ctx) -> {
          String key = ctx.idempotencyKey().orElseThrow();
          if (running.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          runs.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
          running.get(key).decrementAndGet();
        };
    Idempotency idempotency = Idempotency.postgres(pool).build();
    start(config().concurrency(8).workerId("worker-a").build(), idempotency, handler);
    start(config().concurrency(8).workerId("worker-b").build(), idempotency, handler);
    await().atMost(Duration.ofSeconds(60)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(overlaps).hasValue(0);
    assertThat(runs).hasSize(keys);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(sqs.messageCount(queues.dlqUrl())).isZero();
  }

  @Test
  void transactionalModeCommitsTheHandlersWritesWithTheCompletion() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table payments(id text primary key, amount int)");
    }
    for (int i = 0; i < 10; i++) {
      send("{\"id\":\"p-" + i + "\"}", "p-" + i);
    }
    send("{\"id\":\"p-3\"}", "p-3");
    AtomicInteger failedOnce = new AtomicInteger();
    start(
        config().maxAttempts(3).build(),
        Idempotency.postgres(pool).mode(IdempotencyMode.TRANSACTIONAL).build(),
        (body, ctx) -> {
          Connection tx = ctx.transaction().orElseThrow();
          String id = body.substring(7, body.length() - 2);
          try (PreparedStatement insert =
              tx.prepareStatement("insert into payments(id, amount) values (?, 1)")) {
            insert.setString(1, id);
            insert.executeUpdate();
          }
          // The first run of p-5 fails after writing: its insert must be rolled back.
          if (id.equals("p-5") && failedOnce.getAndIncrement() == 0) {
            throw new IllegalStateException("crash after the insert");
          }
        });
    await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*), count(distinct id) from payments")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(10);
      assertThat(rs.getInt(2)).isEqualTo(10);
    }
    assertThat(failedOnce.get()).isEqualTo(2);
    assertThat(sqs.messageCount(queues.dlqUrl())).isZero();
  }

  @Test
  void aDeadLetteredKeyIsForgottenSoAReplayRunsAgain() {
    send("{\"bad\":true}", "replay-me");
    AtomicInteger runs = new AtomicInteger();
    start(
        config().build(),
        Idempotency.postgres(pool).build(),
        (body, ctx) -> {
          if (runs.incrementAndGet() == 1) {
            throw new dev.sqsworker.core.NonRetryableException("not yet");
          }
        });
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.dlqUrl()) == 1);
    // The on-call engineer fixed the cause and replays the message with its key.
    Message dead = sqs.drain(queues.dlqUrl()).get(0);
    send(dead.body(), "replay-me");
    await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
  }

  @Test
  void aDatabaseOutageNeitherLosesNorDeadLettersMessages(LocalPostgres shared) throws Exception {
    // An own server, so stopping it does not disturb other tests.
    LocalPostgres postgres = LocalPostgres.start();
    closing.add(postgres);
    HikariDataSource own = pool(postgres, postgres.createDatabase("outage"));
    closing.add(own);
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Worker worker =
        start(
            config().maxAttempts(2).build(),
            Idempotency.postgres(own).build(),
            (body, ctx) -> runs.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet());
    for (int i = 0; i < 20; i++) {
      send("before-" + i, null);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 20);
    postgres.stop();
    for (int i = 0; i < 20; i++) {
      send("during-" + i, null);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> !worker.isHealthy());
    assertThat(worker.health().detail()).contains("idempotency store unavailable");
    postgres.startAgain();
    await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == 40);
    await().atMost(Duration.ofSeconds(20)).until(worker::isHealthy);
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(sqs.messageCount(queues.dlqUrl())).isZero();
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(shared).isNotNull();
  }

  @Test
  void aKeyCanComeFromThePayload() {
    send("{\"orderId\":\"A-1\",\"n\":1}", null);
    send("{\"orderId\":\"A-1\",\"n\":1}", null);
    List<String> keys = new CopyOnWriteArrayList<>();
    start(
        config().build(),
        Idempotency.postgres(pool).keyFrom(String.class, body -> body.substring(12, 15)).build(),
        (body, ctx) -> keys.add(ctx.idempotencyKey().orElseThrow()));
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(keys).containsExactly("A-1");
  }

  DataSource unused() {
    return pool;
  }
}
