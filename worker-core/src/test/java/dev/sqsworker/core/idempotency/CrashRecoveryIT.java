package dev.sqsworker.core.idempotency;

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
import java.util.Random;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Exactly-once effects under crashes: a worker JVM is killed with SIGKILL at random points while it
 * handles 2,000 messages in transactional mode; after a final worker finishes, every message's row
 * is in the table exactly once and the queue and the DLQ are empty.
 */
@WithLocalServices
class CrashRecoveryIT {

  private static final int MESSAGES = 2_000;
  private static final int KILLS = 3;

  @Test
  void killedWorkersLeaveEveryRowExactlyOnce(LocalSqs sqs, LocalPostgres postgres)
      throws Exception {
    String database = postgres.createDatabase("crash");
    DataSource db = postgres.dataSource(database);
    IdempotencySchema.migrate(db);
    execute(db, "CREATE TABLE crash_rows(body text NOT NULL)");
    QueuePair queues = sqs.createQueueWithDlq("crash-" + ProcessHandle.current().pid(), 50);
    send(sqs, queues.queueUrl());

    Random random = new Random(42);
    for (int kill = 1; kill <= KILLS; kill++) {
      long before = rows(db);
      Process worker = startWorker(sqs, queues, postgres.jdbcUrl(database));
      // Let it get somewhere, at a different point each time, then kill it without warning.
      long target = before + 100 + random.nextInt(300);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> rows(db) >= Math.min(target, MESSAGES) || !worker.isAlive());
      worker.destroyForcibly().waitFor();
    }
    Process last = startWorker(sqs, queues, postgres.jdbcUrl(database));
    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> depth(sqs, queues.queueUrl()) == 0);
    } finally {
      last.destroyForcibly().waitFor();
    }

    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT body), max(n) FROM"
                    + " (SELECT body, count(*) AS n FROM crash_rows GROUP BY body) per_body")) {
      rs.next();
      assertThat(rs.getInt(2)).as("distinct rows").isEqualTo(MESSAGES);
      assertThat(rs.getInt(3)).as("most rows for one message").isEqualTo(1);
    }
    assertThat(depth(sqs, queues.dlqUrl())).isZero();
  }

  private static Process startWorker(LocalSqs sqs, QueuePair queues, String jdbcUrl)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashingWorkerMain.class.getName());
    command.add(sqs.endpoint().uri().toString());
    command.add(queues.queueUrl());
    command.add(queues.dlqUrl());
    command.add(jdbcUrl);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void send(LocalSqs sqs, String queueUrl) {
    for (int from = 0; from < MESSAGES; from += 10) {
      int start = from;
      List<SendMessageBatchRequestEntry> entries =
          IntStream.range(start, start + 10)
              .mapToObj(
                  i ->
                      SendMessageBatchRequestEntry.builder()
                          .id("e" + i)
                          .messageBody("row-" + i)
                          .build())
              .toList();
      sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }
  }

  private static long rows(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM crash_rows")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int depth(LocalSqs sqs, String url) {
    return sqs
        .client()
        .getQueueAttributes(
            b ->
                b.queueUrl(url)
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes()
        .values()
        .stream()
        .mapToInt(Integer::parseInt)
        .sum();
  }

  private static void execute(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
