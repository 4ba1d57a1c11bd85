package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.FaultyDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Batch handlers on the embedded SQS and PostgreSQL: per-message outcomes of one call. */
@WithLocalServices
class BatchHandlerIT {

  private static FailureReason reasonOf(Message message) {
    return FailureReason.fromJson(
        message.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
  }

  private static HikariDataSource pool(LocalPostgres postgres, String prefix) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase(prefix)));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(2_000);
    return new HikariDataSource(config);
  }

  private static void sendWithKey(QueueFixture q, String body, String key) {
    q.sync()
        .sendMessage(
            b ->
                b.queueUrl(q.queues.queueUrl())
                    .messageBody(body)
                    .messageAttributes(
                        Map.of(
                            Idempotency.DEFAULT_KEY_ATTRIBUTE,
                            MessageAttributeValue.builder()
                                .dataType("String")
                                .stringValue(key)
                                .build())));
  }

  private static int count(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void failedItemsAreRetriedRejectedOnesDeadLetteredAndTheOthersDeletedOnce(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "batch-partial")) {
      q.sendMany(10, i -> "m" + i);
      Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();
      Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      q.start(
          q.worker(q.config().concurrency(10).pollers(1).maxAttempts(3).build())
              .batchHandler(
                  String.class,
                  items -> {
                    sizes.add(items.size());
                    BatchResult.Builder result = BatchResult.builder();
                    for (BatchItem<String> item : items) {
                      String body = item.payload();
                      int attempt = item.context().attempt();
                      attempts
                          .computeIfAbsent(body, b -> new CopyOnWriteArrayList<>())
                          .add(attempt);
                      if (body.equals("m3") && attempt == 1) {
                        result.failed(item, new IllegalStateException("transient failure of m3"));
                      } else if (body.equals("m7")) {
                        result.rejected(item, "m7 is malformed");
                      } else {
                        succeeded.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
                      }
                    }
                    return result.build();
                  }));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> q.depth(q.queues.queueUrl()) == 0 && q.depth(q.queues.dlqUrl()) == 1);
      assertThat(succeeded.keySet())
          .containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m8", "m9");
      assertThat(succeeded.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(attempts.get("m3")).as("m3's attempts").containsExactly(1, 2);
      assertThat(attempts.get("m7")).as("a rejected item is not retried").containsExactly(1);
      List<Message> dead = q.drainDlq();
      assertThat(dead).extracting(Message::body).containsExactly("m7");
      FailureReason reason = reasonOf(dead.get(0));
      assertThat(reason.kind()).isEqualTo(FailureKind.NON_RETRYABLE);
      assertThat(reason.errorMessage()).isEqualTo("m7 is malformed");
      assertThat(sizes).as("messages of one receive go to one call").anyMatch(n -> n > 1);
      assertThat(q.counter("sqsworker.messages.succeeded")).isEqualTo(9);
      assertThat(q.counter("sqsworker.messages.retried")).isEqualTo(1);
      var batchSize = q.registry.get("sqsworker.batch.size").summary();
      assertThat(batchSize.count()).isEqualTo(sizes.size());
      assertThat(batchSize.totalAmount()).isEqualTo(sizes.stream().mapToInt(n -> n).sum());
    }
  }

  /**
   * A call that throws, and one whose result names a message not in its batch, fail every message
   * of their batch: nothing is deleted on them, every message is handled later, none is lost.
   */
  @Test
  void aThrowingCallOrAResultNamingAnUnknownMessageFailsTheWholeBatch(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "batch-whole")) {
      q.sendMany(5, i -> "w" + i);
      Map<String, Integer> succeededAt = new ConcurrentHashMap<>();
      AtomicInteger unknownReported = new AtomicInteger();
      q.start(
          q.worker(q.config().concurrency(10).pollers(1).maxAttempts(5).build())
              .batchHandler(
                  String.class,
                  items -> {
                    int first = items.stream().mapToInt(i -> i.context().attempt()).min().orElse(0);
                    if (first == 1) {
                      throw new IllegalStateException("the downstream call failed");
                    }
                    if (first == 2) {
                      unknownReported.incrementAndGet();
                      return BatchResult.builder()
                          .failed("not-in-this-batch", new IllegalStateException("stale id"))
                          .build();
                    }
                    items.forEach(i -> succeededAt.put(i.payload(), i.context().attempt()));
                    return BatchResult.allSucceeded();
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(succeededAt).containsOnlyKeys("w0", "w1", "w2", "w3", "w4");
      assertThat(succeededAt.values())
          .as("both failed calls counted for every message of their batch")
          .allSatisfy(attempt -> assertThat(attempt).isGreaterThanOrEqualTo(3));
      assertThat(unknownReported.get()).isPositive();
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  @Test
  void aDuplicateDeliveryIsSettledBeforeTheCallAndNeverGivenToIt(
      LocalSqs sqs, LocalPostgres postgres) {
    try (var q = QueueFixture.standard(sqs, "batch-idem");
        HikariDataSource pool = pool(postgres, "batch_idem")) {
      for (String key : List.of("a", "b", "c")) {
        sendWithKey(q, "order-" + key, key);
      }
      List<String> given = new CopyOnWriteArrayList<>();
      q.start(
          q.worker(q.config().concurrency(10).pollers(1).build())
              .idempotency(Idempotency.postgres(pool).build())
              .batchHandler(
                  String.class,
                  items -> {
                    items.forEach(i -> given.add(i.context().idempotencyKey().orElseThrow()));
                    return BatchResult.allSucceeded();
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> given.size() == 3);
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      // The same order again (a producer's retry), and a new one, received together.
      sendWithKey(q, "order-a", "a");
      sendWithKey(q, "order-d", "d");
      await().atMost(Duration.ofSeconds(30)).until(() -> given.size() == 4);
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(given).containsExactlyInAnyOrder("a", "b", "c", "d");
      assertThat(q.counter("sqsworker.messages.duplicates")).isEqualTo(1);
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  /**
   * Transactional mode: the first call writes for every item and throws, so all is rolled back (a
   * write that survived would hit the primary key on the retry and dead-letter the message); later
   * calls skip the write of an item they report failed, and the others' writes commit with their
   * completions.
   */
  @Test
  void transactionalModeRollsBackAFailedCallAndCommitsTheSuccessfulItemsWithTheirCompletions(
      LocalSqs sqs, LocalPostgres postgres) throws SQLException {
    try (var q = QueueFixture.standard(sqs, "batch-tx");
        HikariDataSource pool = pool(postgres, "batch_tx")) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("create table batch_rows(id text primary key)");
      }
      for (int i = 0; i < 6; i++) {
        sendWithKey(q, "t" + i, "t" + i);
      }
      AtomicInteger calls = new AtomicInteger();
      AtomicInteger t2Runs = new AtomicInteger();
      List<Integer> connectionsPerCall = new CopyOnWriteArrayList<>();
      q.start(
          q.worker(q.config().concurrency(10).pollers(1).maxAttempts(3).build())
              .idempotency(Idempotency.postgres(pool).mode(IdempotencyMode.TRANSACTIONAL).build())
              .batchHandler(
                  String.class,
                  items -> {
                    Set<Connection> connections =
                        items.stream()
                            .map(i -> i.context().transaction().orElseThrow())
                            .collect(Collectors.toSet());
                    connectionsPerCall.add(connections.size());
                    Connection tx = connections.iterator().next();
                    boolean crash = calls.incrementAndGet() == 1;
                    BatchResult.Builder result = BatchResult.builder();
                    List<String> ids = new ArrayList<>();
                    for (BatchItem<String> item : items) {
                      if (!crash && item.payload().equals("t2") && t2Runs.getAndIncrement() == 0) {
                        result.failed(item, new IllegalStateException("t2 not ready"));
                      } else {
                        ids.add(item.payload());
                      }
                    }
                    try (PreparedStatement insert =
                        tx.prepareStatement("insert into batch_rows(id) select unnest(?)")) {
                      insert.setArray(1, tx.createArrayOf("text", ids.toArray()));
                      insert.executeUpdate();
                    }
                    if (crash) {
                      throw new IllegalStateException("crash after the insert");
                    }
                    return result.build();
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(count(pool, "select count(*) from batch_rows")).isEqualTo(6);
      assertThat(
              count(pool, "select count(*) from sqsworker_idempotency where status = 'COMPLETED'"))
          .isEqualTo(6);
      assertThat(connectionsPerCall).as("one transaction per call").containsOnly(1);
      assertThat(calls.get()).isGreaterThanOrEqualTo(3);
      assertThat(t2Runs.get()).as("t2 reported failed once, then written").isEqualTo(2);
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  /**
   * Transactional mode: a commit lost to a database outage rolls the whole batch back, and every
   * message of it waits for the database without using an attempt.
   */
  @Test
  void aCommitLostToAnOutageParksTheWholeBatchWithoutAnAttempt(LocalSqs sqs, LocalPostgres postgres)
      throws SQLException {
    try (var q = QueueFixture.standard(sqs, "batch-tx-outage");
        HikariDataSource pool = pool(postgres, "batch_tx_outage")) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("create table outage_rows(id text primary key)");
      }
      FaultyDataSource db = FaultyDataSource.wrap(pool);
      Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
      q.start(
          q.worker(q.config().concurrency(10).pollers(1).maxAttempts(2).build())
              .idempotency(Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build())
              .batchHandler(
                  String.class,
                  items -> {
                    Connection tx = items.get(0).context().transaction().orElseThrow();
                    for (BatchItem<String> item : items) {
                      attempts
                          .computeIfAbsent(item.payload(), b -> new CopyOnWriteArrayList<>())
                          .add(item.context().attempt());
                      try (PreparedStatement insert =
                          tx.prepareStatement("insert into outage_rows(id) values (?)")) {
                        insert.setString(1, item.payload());
                        insert.executeUpdate();
                      }
                    }
                    return BatchResult.allSucceeded();
                  }));
      // After the start, whose schema migration commits too.
      var fault = db.failCommits(FaultyDataSource::connectionLost).times(1);
      q.sync()
          .sendMessageBatch(
              b ->
                  b.queueUrl(q.queues.queueUrl())
                      .entries(
                          java.util.stream.IntStream.range(0, 3)
                              .mapToObj(
                                  i ->
                                      software.amazon.awssdk.services.sqs.model
                                          .SendMessageBatchRequestEntry.builder()
                                          .id("e" + i)
                                          .messageBody("o" + i)
                                          .messageAttributes(
                                              Map.of(
                                                  Idempotency.DEFAULT_KEY_ATTRIBUTE,
                                                  MessageAttributeValue.builder()
                                                      .dataType("String")
                                                      .stringValue("o" + i)
                                                      .build()))
                                          .build())
                              .toList()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(pool, "select count(*) from outage_rows") == 3);
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(fault.injected()).isEqualTo(1);
      assertThat(attempts).containsOnlyKeys("o0", "o1", "o2");
      assertThat(attempts.values())
          .as("the outage used no attempt")
          .allSatisfy(a -> assertThat(a).containsOnly(1));
      assertThat(attempts.values().stream().mapToInt(List::size).sum())
          .as("the batch ran again after the outage")
          .isGreaterThan(3);
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }

  /**
   * Issue 14's case 12 with a batch handler: one FIFO group of six (the first fails twice, the
   * second once, then four good; maxAttempts 3). The handler stops at the first failure; the later
   * messages are released without using an attempt, so all six are handled, once each, in order.
   */
  @Test
  void fifoBatchStopsItsGroupAtTheFirstFailureAndDeadLettersNone(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "batch-fifo-head")) {
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
              .batchHandler(
                  String.class,
                  items -> {
                    for (BatchItem<String> item : items) {
                      if (failuresLeft.merge(item.payload(), -1, Integer::sum) >= 0) {
                        return BatchResult.builder()
                            .failed(item, new IllegalStateException("transient " + item.payload()))
                            .build();
                      }
                      handled.add(item.payload());
                    }
                    return BatchResult.allSucceeded();
                  }));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> handled.size() + q.depth(q.queues.dlqUrl()) >= 6);
      assertThat(q.depth(q.queues.dlqUrl())).as("dead-lettered").isZero();
      assertThat(handled).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
    }
  }

  @Test
  void fifoBatchHoldsOneGroupInOrder(LocalSqs sqs) {
    try (var q = QueueFixture.fifo(sqs, "batch-fifo-groups")) {
      for (int i = 1; i <= 4; i++) {
        for (String group : List.of("a", "b")) {
          q.sendFifo(group, group + ":" + i);
        }
      }
      Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
      List<Set<String>> groupsPerCall = new CopyOnWriteArrayList<>();
      AtomicInteger a2Failures = new AtomicInteger();
      q.start(
          q.worker(q.config().concurrency(10).maxAttempts(3).build())
              .batchHandler(
                  String.class,
                  items -> {
                    groupsPerCall.add(
                        items.stream()
                            .map(i -> i.context().messageGroupId().orElseThrow())
                            .collect(Collectors.toSet()));
                    for (BatchItem<String> item : items) {
                      String body = item.payload();
                      if (body.equals("a:2") && a2Failures.getAndIncrement() == 0) {
                        return BatchResult.builder()
                            .failed(item, new IllegalStateException("transient a:2"))
                            .build();
                      }
                      handled
                          .computeIfAbsent(body.substring(0, 1), g -> new CopyOnWriteArrayList<>())
                          .add(Integer.parseInt(body.substring(2)));
                    }
                    return BatchResult.allSucceeded();
                  }));
      await().atMost(Duration.ofSeconds(30)).until(() -> q.depth(q.queues.queueUrl()) == 0);
      assertThat(groupsPerCall).allSatisfy(groups -> assertThat(groups).hasSize(1));
      assertThat(handled.get("a")).containsExactly(1, 2, 3, 4);
      assertThat(handled.get("b")).containsExactly(1, 2, 3, 4);
      assertThat(q.depth(q.queues.dlqUrl())).isZero();
    }
  }
}
