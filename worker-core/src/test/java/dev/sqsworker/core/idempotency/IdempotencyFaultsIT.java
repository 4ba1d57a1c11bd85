package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.FaultyDataSource;
import dev.sqsworker.testkit.faults.SqsFaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Guarantees of the message path under database faults (issue 14, §2), with idempotency. */
@WithLocalServices
class IdempotencyFaultsIT {

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final List<AutoCloseable> closing = new ArrayList<>();
  private LocalSqs sqs;
  private QueuePair queues;
  private HikariDataSource pool;
  private FaultyDataSource db;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void setUp(LocalSqs sqs, LocalPostgres postgres) {
    this.sqs = sqs;
    this.queues = sqs.createQueueWithDlq("idem-faults-" + NAMES.incrementAndGet(), 50);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("idem_faults")));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(2_000);
    this.pool = new HikariDataSource(config);
    this.db = FaultyDataSource.wrap(pool);
    this.registry = new SimpleMeterRegistry();
    closing.add(pool);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.heal();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private WorkerConfig.Builder config() {
    return WorkerConfig.builder()
        .queueUrl(queues.queueUrl())
        .dlqUrl(queues.dlqUrl())
        .waitTime(Duration.ofSeconds(1))
        .backoff(BackoffPolicy.fixed(Duration.ZERO))
        .shutdownGrace(Duration.ofSeconds(5));
  }

  private <T> Worker start(
      WorkerConfig config, Idempotency idempotency, Class<T> type, MessageHandler<T> handler) {
    return start(config, idempotency, type, handler, new SqsFaults());
  }

  private <T> Worker start(
      WorkerConfig config,
      Idempotency idempotency,
      Class<T> type,
      MessageHandler<T> handler,
      SqsFaults faults) {
    var client =
        sqs.newAsyncClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
    closing.add(client);
    Worker worker =
        Worker.builder()
            .client(client)
            .config(config)
            .idempotency(idempotency)
            .meterRegistry(registry)
            .handler(type, handler)
            .build();
    closing.add(worker);
    worker.start();
    return worker;
  }

  private void send(String body, String key) {
    sqs.client()
        .sendMessage(
            b ->
                b.queueUrl(queues.queueUrl())
                    .messageBody(body)
                    .messageAttributes(
                        Map.of(
                            Idempotency.DEFAULT_KEY_ATTRIBUTE,
                            MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(key)
                                .build())));
  }

  private static String reasonJson(Message m) {
    return m.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue();
  }

  private String status(String key) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement("select status from sqsworker_idempotency where key = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private long pausedPeriods() {
    var timer = registry.find("sqsworker.poll.paused").timer();
    return timer == null ? 0 : timer.count();
  }

  /** Case 6: a unique violation at commit is the message's fault, not a database outage. */
  @Test
  void aConstraintViolationAtCommitIsDeadLetteredWithoutPausing() throws SQLException {
    sql(
        "create table ledger(id text, constraint ledger_once unique (id) deferrable initially deferred)");
    sql("insert into ledger values ('dup')");
    send("dup", "k-dup");
    send("fresh", "k-fresh");
    AtomicInteger runs = new AtomicInteger();
    Worker worker =
        start(
            config().maxAttempts(3).build(),
            Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build(),
            String.class,
            (body, ctx) -> {
              runs.incrementAndGet();
              try (PreparedStatement s =
                  ctx.transaction()
                      .orElseThrow()
                      .prepareStatement("insert into ledger values (?)")) {
                s.setString(1, body);
                s.executeUpdate();
              }
            });
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.dlqUrl()) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    String reason = reasonJson(sqs.drain(queues.dlqUrl()).get(0));
    assertThat(reason).contains("\"kind\":\"NON_RETRYABLE\"").contains("ledger_once");
    assertThat(runs).hasValue(2);
    assertThat(worker.health().healthy()).isTrue();
    assertThat(pausedPeriods()).as("polling never paused").isZero();
  }

  /** Case 6: a serialization failure at commit is retried as a counted attempt. */
  @Test
  void aSerializationFailureAtCommitIsRetriedAsAnAttempt() throws SQLException {
    sql("create table ledger(id text primary key)");
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    start(
        config().maxAttempts(3).build(),
        Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build(),
        String.class,
        (body, ctx) -> {
          attempts.add(ctx.attempt());
          try (PreparedStatement s =
              ctx.transaction().orElseThrow().prepareStatement("insert into ledger values (?)")) {
            s.setString(1, body);
            s.executeUpdate();
          }
        });
    // After the start, whose schema migration commits too.
    var fault = db.failCommits(FaultyDataSource::serializationFailure).times(1);
    send("once", "k-once");
    await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(status("k-once")));
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(fault.injected()).isEqualTo(1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(pausedPeriods()).as("polling never paused").isZero();
  }

  record Job(String key) {}

  /** Case 8: unusable keys are dead-lettered (KEY); the rest of their batch runs. */
  @Test
  void badKeysAreDeadLetteredAndTheirNeighboursProceed() {
    String huge =
        IntStream.range(0, 300)
            .mapToObj(i -> UUID.randomUUID().toString())
            .collect(Collectors.joining());
    List<String> bodies =
        List.of(
            "{\"key\":\"good-1\"}",
            "{\"key\":\"bad\\u0000nul\"}",
            "{\"key\":\"" + huge + "\"}",
            "{\"key\":\"boom\"}",
            "{\"key\":\"good-2\"}");
    sqs.client()
        .sendMessageBatch(
            b ->
                b.queueUrl(queues.queueUrl())
                    .entries(
                        IntStream.range(0, bodies.size())
                            .mapToObj(
                                i ->
                                    SendMessageBatchRequestEntry.builder()
                                        .id("e" + i)
                                        .messageBody(bodies.get(i))
                                        .build())
                            .toList()));
    List<String> handled = new CopyOnWriteArrayList<>();
    Worker worker =
        start(
            config().pollers(1).build(),
            Idempotency.postgres(db)
                .keyFrom(
                    Job.class,
                    job -> {
                      if (job.key().equals("boom")) {
                        throw new IllegalStateException("no key in this job");
                      }
                      return job.key();
                    })
                .build(),
            Job.class,
            (job, ctx) -> handled.add(job.key()));
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.dlqUrl()) == 3);
    await().atMost(Duration.ofSeconds(20)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(handled).containsExactlyInAnyOrder("good-1", "good-2");
    assertThat(sqs.drain(queues.dlqUrl()))
        .allSatisfy(m -> assertThat(reasonJson(m)).contains("\"kind\":\"KEY\""));
    assertThat(worker.health().healthy()).isTrue();
  }

  /**
   * Case 1: a completion write that fails after the handler succeeded is retried before the message
   * is deleted, so a later duplicate is skipped.
   */
  @Test
  void noDeleteUntilTheCompletionIsDurable() throws SQLException {
    var fault =
        db.failStatements("SET status = 'COMPLETED'", FaultyDataSource::connectionLost).times(2);
    send("pay", "k-pay");
    AtomicInteger runs = new AtomicInteger();
    start(
        config().build(),
        Idempotency.postgres(db).build(),
        String.class,
        (body, ctx) -> runs.incrementAndGet());
    await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status("k-pay")));
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(fault.injected()).isEqualTo(2);
    send("pay", "k-pay");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> registry.get("sqsworker.messages.duplicates").counter().count() == 1);
    assertThat(runs).hasValue(1);
  }

  /**
   * Case 3: while the database stalls, the running message stays invisible: the heartbeat sends its
   * SQS extensions without waiting for the lease statement. (Once the lease can no longer be kept,
   * case 10 stops the handler before the lease ends; only then may the message go elsewhere.)
   */
  @Test
  void theHeartbeatNeverWaitsOnTheDatabase() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    List<Integer> runsWhenStopped = new CopyOnWriteArrayList<>();
    start(
        config().visibilityTimeout(Duration.ofSeconds(4)).build(),
        Idempotency.postgres(db).build(),
        String.class,
        (body, ctx) -> {
          runs.incrementAndGet();
          running.countDown();
          try {
            finish.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            runsWhenStopped.add(runs.get());
            throw e;
          }
        });
    send("slow", "k-slow");
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
    db.stallStatements("SET lease_until", Duration.ofSeconds(60));
    // While the handler runs nobody else gets the message: not another consumer, not the worker's
    // own pollers (a second delivery would be a second run).
    AtomicInteger elsewhereWhileRunning = new AtomicInteger();
    await()
        .pollDelay(Duration.ZERO)
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int got =
                  sqs.client()
                      .receiveMessage(
                          b ->
                              b.queueUrl(queues.queueUrl()).waitTimeSeconds(1).visibilityTimeout(1))
                      .messages()
                      .size();
              if (runsWhenStopped.isEmpty()) {
                elsewhereWhileRunning.addAndGet(got);
              }
              return !runsWhenStopped.isEmpty();
            });
    assertThat(elsewhereWhileRunning).hasValue(0);
    assertThat(runsWhenStopped).containsExactly(1);
    finish.countDown();
    db.heal();
    await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
  }

  /**
   * Case 4: a dead letter whose send fails keeps the attempt of the run that led to it, so the
   * handler never runs past maxAttempts; the send is tried again after a backoff.
   */
  @Test
  void aFailedDeadLetterSendKeepsTheAttempt() {
    SqsFaults faults = new SqsFaults();
    faults.on("SendMessage").calls(1, 2).serverError();
    send("always-fails", "k-fail");
    AtomicInteger runs = new AtomicInteger();
    Worker worker =
        start(
            config().maxAttempts(2).build(),
            Idempotency.postgres(db).build(),
            String.class,
            (body, ctx) -> {
              runs.incrementAndGet();
              throw new IllegalStateException("downstream said no");
            },
            faults);
    await().atMost(Duration.ofSeconds(40)).until(() -> sqs.messageCount(queues.dlqUrl()) == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    assertThat(faults.injected()).isEqualTo(2);
    assertThat(runs).as("the handler never runs past maxAttempts").hasValue(2);
    assertThat(registry.get("sqsworker.dlq.send.failures").counter().count()).isEqualTo(2);
    String reason = reasonJson(sqs.drain(queues.dlqUrl()).get(0));
    assertThat(reason).contains("\"kind\":\"EXHAUSTED\"").contains("\"attempts\":2");
    await().atMost(Duration.ofSeconds(5)).until(() -> worker.health().healthy());
  }

  /**
   * Case 11: the database failing inside the handler's transaction (an administrator shutdown of
   * the connection) is an outage, not the message's attempt: with maxAttempts 1 it is not
   * dead-lettered but run again once the store answers.
   */
  @Test
  void aStoreOutageInTheHandlersTransactionNeverCountsAnAttempt() throws SQLException {
    sql("create table ledger(id text primary key)");
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    start(
        config().maxAttempts(1).build(),
        Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build(),
        String.class,
        (body, ctx) -> {
          attempts.add(ctx.attempt());
          try (PreparedStatement s =
              ctx.transaction().orElseThrow().prepareStatement("insert into ledger values (?)")) {
            s.setString(1, body);
            s.executeUpdate();
          }
        });
    var fault = db.failStatements("insert into ledger", FaultyDataSource::adminShutdown).times(1);
    send("last-chance", "k-last");
    await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status("k-last")));
    assertThat(fault.injected()).isEqualTo(1);
    assertThat(attempts).containsExactly(1, 1);
    assertThat(sqs.messageCount(queues.dlqUrl())).isZero();
  }

  /**
   * Case 10: a lease that cannot be extended stops its handler before the lease ends (a second
   * worker could take the key then), and since the store caused it, no attempt is used.
   */
  @Test
  void aFailedLeaseExtensionCancelsTheHandlerBeforeTheLeaseEnds() throws Exception {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<java.time.Instant> leaseEnds = new CopyOnWriteArrayList<>();
    List<java.time.Instant> interrupted = new CopyOnWriteArrayList<>();
    CountDownLatch finish = new CountDownLatch(1);
    var fault = db.failStatements("SET lease_until = now() +", FaultyDataSource::connectionLost);
    start(
        config().visibilityTimeout(Duration.ofSeconds(4)).build(),
        Idempotency.postgres(db).build(),
        String.class,
        (body, ctx) -> {
          attempts.add(ctx.attempt());
          leaseEnds.add(leaseUntil("k-lease"));
          try {
            finish.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            interrupted.add(java.time.Instant.now());
            throw e;
          }
        });
    send("long", "k-lease");
    await().atMost(Duration.ofSeconds(20)).until(() -> !interrupted.isEmpty());
    assertThat(fault.injected()).isPositive();
    assertThat(interrupted.get(0))
        .as("cancelled before its lease ended")
        .isBefore(leaseEnds.get(0));
    db.heal();
    finish.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status("k-lease")));
    assertThat(attempts).as("the store's failure used no attempt").containsOnly(1);
  }

  private java.time.Instant leaseUntil(String key) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement("select lease_until from sqsworker_idempotency where key = ?")) {
      s.setString(1, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  /** Case 10: a TTL shorter than maxHandlingTime is refused at start, naming both options. */
  @Test
  void aTtlShorterThanTheMaximumHandlingTimeIsRefused() {
    var client = sqs.newAsyncClient();
    closing.add(client);
    Worker worker =
        Worker.builder()
            .client(client)
            .config(config().maxHandlingTime(Duration.ofHours(1)).build())
            .idempotency(Idempotency.postgres(db).ttl(Duration.ofMinutes(10)).build())
            .meterRegistry(registry)
            .handler(String.class, (b, c) -> {})
            .build();
    closing.add(worker);
    org.assertj.core.api.Assertions.assertThatThrownBy(worker::start)
        .isInstanceOf(dev.sqsworker.core.ConfigurationException.class)
        .hasMessageContaining("SQSWORKER_IDEMPOTENCY_TTL")
        .hasMessageContaining("SQSWORKER_MAX_HANDLING_TIME");
  }
}
