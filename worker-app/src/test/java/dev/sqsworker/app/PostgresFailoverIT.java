package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A managed database's failover, played with two local servers behind one multi-host URL: the first
 * (the primary) turns read-only mid-run, as an old primary does for a moment while its endpoint
 * moves, and the second (a standby until then) is promoted, i.e. made writable. The application
 * follows by itself, with only its default JDBC and pool settings.
 *
 * <p>The two servers do not replicate: each row is on the server that was primary when its message
 * was handled, so "nothing lost, nothing twice" is counted over the union of both.
 */
@WithLocalServices
class PostgresFailoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresFailoverIT.class);
  private static final int MESSAGES = 200;

  /** The bound the test holds the resumption to; the measured time is logged. */
  private static final Duration RESUMES_WITHIN = Duration.ofSeconds(15);

  @Test
  void aFailoverToTheSecondHost_isFollowedWithoutARestart_nothingLostTwiceOrDeadLettered(
      LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("failover-orders", 5);
    try (LocalPostgres first = LocalPostgres.start();
        LocalPostgres second = LocalPostgres.start()) {
      String database = prepare(first);
      assertThat(prepare(second)).isEqualTo(database);
      setReadOnly(second, true);

      Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
      env.put("SQSWORKER_HANDLER_CLASS", TransactionalOrderHandler.class.getName());
      env.put(
          "SQSWORKER_JDBC_URL",
          "jdbc:postgresql://localhost:"
              + first.port()
              + ",localhost:"
              + second.port()
              + "/"
              + database);
      env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
      env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
      env.put("SQSWORKER_IDEMPOTENCY", "transactional");

      DataSource one = first.dataSource(database);
      DataSource two = second.dataSource(database);
      try (WorkerApplication app = WorkerApplication.fromEnvironment(env)) {
        app.start();
        send(sqs, queues.queueUrl());
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(one) >= MESSAGES / 4);

        // The failover: the old primary answers read-only, the standby is promoted.
        setReadOnly(first, true);
        long failedOverAt = System.nanoTime();
        setReadOnly(second, false);

        await().atMost(RESUMES_WITHIN).until(() -> rows(two) > 0);
        Duration resumedAfter = Duration.ofNanos(System.nanoTime() - failedOverAt);
        LOG.info(
            "The worker wrote on the promoted server {} ms after the failover",
            resumedAfter.toMillis());

        await().atMost(Duration.ofSeconds(60)).until(() -> rows(one) + rows(two) == MESSAGES);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> sqs.messageCount(queues.queueUrl()) == 0);
      }
      List<String> orders = new ArrayList<>(orderIds(one));
      orders.addAll(orderIds(two));
      assertThat(orders).hasSize(MESSAGES).doesNotHaveDuplicates();
      assertThat(orderIds(two)).isNotEmpty();
      assertThat(sqs.drain(queues.dlqUrl())).isEmpty();
    }
  }

  /** A database with the handler's table and the idempotency schema; returns its name. */
  private static String prepare(LocalPostgres postgres) throws SQLException {
    String database = postgres.createDatabase("failover");
    DataSource ds = postgres.dataSource(database);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(RecordingOrderHandler.TABLE);
    }
    IdempotencySchema.migrate(ds);
    return database;
  }

  /** Read-only for every transaction from now on, as a standby is; reloaded, not restarted. */
  private static void setReadOnly(LocalPostgres postgres, boolean readOnly) throws SQLException {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          readOnly
              ? "ALTER SYSTEM SET default_transaction_read_only = on"
              : "ALTER SYSTEM RESET default_transaction_read_only");
      s.execute("SELECT pg_reload_conf()");
    }
  }

  private static void send(LocalSqs sqs, String queueUrl) {
    for (int i = 0; i < MESSAGES; i += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < i + 10; j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id("m" + j)
                .messageBody("{\"orderId\":\"order-" + j + "\"}")
                .build());
      }
      sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }
  }

  private static int rows(DataSource ds) throws SQLException {
    return orderIds(ds).size();
  }

  private static List<String> orderIds(DataSource ds) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT order_id FROM handled_orders")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }
}
