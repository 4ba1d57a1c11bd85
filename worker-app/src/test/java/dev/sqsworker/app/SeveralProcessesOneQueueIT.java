package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Three worker processes on one queue and one PostgreSQL, transactional idempotency on, I/O-bound
 * 50 ms handlers: every message is handled once over all of them, each process takes a share, and
 * no claim is left unfinished. The messages are sent once every process is ready. How much faster
 * three are than one is the benchmark's figure ({@code scaleout.ratio}), not this test's: the
 * throughput seen while every process was handling is logged here for information only.
 */
@WithLocalServices
class SeveralProcessesOneQueueIT {

  private static final Logger LOG = LoggerFactory.getLogger(SeveralProcessesOneQueueIT.class);
  private static final int MESSAGES = 900;

  @Test
  void threeProcessesOnOneQueue_handleEveryMessageOnce(
      LocalSqs sqs, LocalPostgres postgres, @TempDir Path work) throws Exception {
    double three = run(sqs, postgres, work.resolve("three"), 3, MESSAGES);
    LOG.info(
        "Three processes: {} msg/s while all were handling",
        String.format(java.util.Locale.ROOT, "%.1f", three));
  }

  /** Runs {@code processes} workers over {@code messages}; returns their throughput. */
  private static double run(
      LocalSqs sqs, LocalPostgres postgres, Path dir, int processes, int messages)
      throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("several-" + processes, 5);
    String database = postgres.createDatabase("several");
    DataSource db = postgres.dataSource(database);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(SleepingOrderHandler.TABLE);
    }
    try (WorkerProcesses workers = new WorkerProcesses()) {
      for (int i = 0; i < processes; i++) {
        Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
        env.put("SQSWORKER_HANDLER_CLASS", SleepingOrderHandler.class.getName());
        env.put("SQSWORKER_CONCURRENCY", "4");
        env.put("SQSWORKER_IDEMPOTENCY", "transactional");
        env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database));
        env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
        env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
        workers.start(WorkerApplication.class, env, dir.resolve("worker-" + i));
      }
      for (int port : workers.ports()) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> WorkerApplicationIT.get(port, "/health/ready").statusCode() == 200);
      }
      send(sqs, queues.queueUrl(), messages);
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> count(db, "SELECT count(*) FROM handled") >= messages);
      await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    }
    assertThat(count(db, "SELECT count(*) FROM handled")).isEqualTo(messages);
    assertThat(count(db, "SELECT count(DISTINCT body) FROM handled")).isEqualTo(messages);
    assertThat(count(db, "SELECT count(DISTINCT pid) FROM handled")).isEqualTo(processes);
    assertThat(count(db, "SELECT count(*) FROM sqsworker_idempotency WHERE status <> 'COMPLETED'"))
        .isZero();
    assertThat(sqs.drain(queues.dlqUrl())).isEmpty();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "WITH w AS (SELECT max(first) AS from_, min(last) AS to_ FROM"
                    + " (SELECT min(handled_at) AS first, max(handled_at) AS last FROM handled"
                    + " GROUP BY pid) p)"
                    + " SELECT count(*), extract(epoch FROM (SELECT to_ - from_ FROM w))"
                    + " FROM handled, w WHERE handled_at BETWEEN w.from_ AND w.to_")) {
      rs.next();
      long handled = rs.getLong(1);
      double seconds = rs.getDouble(2);
      LOG.info(
          "{} process(es): {} of {} messages in {} s while all were handling",
          processes,
          handled,
          messages,
          String.format(java.util.Locale.ROOT, "%.2f", seconds));
      return handled / seconds;
    }
  }

  private static void send(LocalSqs sqs, String queueUrl, int messages) {
    for (int i = 0; i < messages; i += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < i + 10; j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder().id("m" + j).messageBody("order-" + j).build());
      }
      sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }
  }

  private static long count(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
