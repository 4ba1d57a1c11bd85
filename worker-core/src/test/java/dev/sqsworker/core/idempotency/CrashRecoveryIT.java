package dev.sqsworker.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Exactly-once effects under crashes and injected faults (issue 14's soak): 2,000 messages in
 * transactional mode, handled by worker JVMs of which three are killed with SIGKILL at random
 * points; every worker sees SQS 5xx and throttling on 5 % of its calls, and each killed one a
 * database stall longer than the visibility timeout first. After a final worker finishes, every
 * message's row is in the table exactly once, the queue and the DLQ are empty, and the final worker
 * is healthy with every handler slot free (as many messages as its concurrency run at once, and
 * {@code close()} does not wait for a leaked permit).
 */
@WithLocalServices
class CrashRecoveryIT {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);
  private static final int MESSAGES = 2_000;
  private static final int KILLS = 3;
  private static final Duration STALL = CrashingWorkerMain.VISIBILITY.plusSeconds(1);

  @Test
  void killedWorkersUnderInjectedFaultsLeaveEveryRowExactlyOnce(
      LocalSqs sqs, LocalPostgres postgres) throws Exception {
    long started = System.nanoTime();
    String database = postgres.createDatabase("crash");
    DataSource db = postgres.dataSource(database);
    LOG.info("database created after {} ms", elapsedMillis(started));
    IdempotencySchema.migrate(db);
    execute(db, "CREATE TABLE crash_rows(body text NOT NULL)");
    LOG.info("migrated after {} ms", elapsedMillis(started));
    QueuePair queues = sqs.createQueueWithDlq("crash-" + ProcessHandle.current().pid(), 50);
    send(sqs, queues.queueUrl());
    LOG.info("sent after {} ms", elapsedMillis(started));

    Random random = new Random(42);
    for (int kill = 1; kill <= KILLS; kill++) {
      long before = rows(db);
      try (ChildWorker worker = ChildWorker.start(sqs, queues, postgres.jdbcUrl(database), kill)) {
        awaitRows(db, before + 50, worker);
        // The database stalls for longer than the visibility timeout, then comes back.
        worker.command("stall " + STALL.toMillis());
        worker.expect("STALL-OVER", Duration.ofSeconds(30));
        // Let it get somewhere after the stall, at a different point each time, then kill it.
        awaitRows(db, rows(db) + 50 + random.nextInt(250), worker);
        worker.kill();
      }
      LOG.info("kill {}: {} rows after {} ms", kill, rows(db), elapsedMillis(started));
    }
    try (ChildWorker last = ChildWorker.start(sqs, queues, postgres.jdbcUrl(database), 0)) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> sqs.messageCount(queues.queueUrl()) == 0);
      LOG.info("drained: {} rows after {} ms", rows(db), elapsedMillis(started));

      // No permit leaked: as many messages as the concurrency run at the same time.
      sendProbes(sqs, queues.queueUrl());
      last.expect("PROBE-FULL", Duration.ofSeconds(40));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> sqs.messageCount(queues.queueUrl()) == 0);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                last.command("health");
                assertThat(last.expect("HEALTH", Duration.ofSeconds(5)))
                    .contains("healthy=true", "inFlight=0");
              });
      last.command("close");
      String closed = last.expect("CLOSED", Duration.ofSeconds(30));
      long closeMillis = Long.parseLong(closed.split(" ")[1]);
      assertThat(closeMillis).as("close() waits for no leaked permit").isLessThan(10_000);
      assertThat(Integer.parseInt(closed.replaceAll(".*faults=", "")))
          .as("SQS faults the final worker saw")
          .isPositive();
    }
    LOG.info("done after {} ms", elapsedMillis(started));

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
    assertThat(rows(db)).as("rows").isEqualTo(MESSAGES);
    assertThat(sqs.messageCount(queues.queueUrl())).as("source queue").isZero();
    assertThat(sqs.messageCount(queues.dlqUrl())).as("DLQ").isZero();
  }

  private static void awaitRows(DataSource db, long target, ChildWorker worker) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> rows(db) >= Math.min(target, MESSAGES) || !worker.process.isAlive());
    assertThat(worker.process.isAlive()).as("worker JVM alive").isTrue();
  }

  private static long elapsedMillis(long started) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  /**
   * A worker JVM ({@link CrashingWorkerMain}): commands go to its stdin; its output goes to a log
   * file under target, and its protocol lines ({@code UPPER-CASE ...}) to a queue.
   */
  private static final class ChildWorker implements AutoCloseable {
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildWorker(Process process, Path log) throws IOException {
      this.process = process;
      this.stdin =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (out;
                    BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    if (line.matches("^[A-Z][A-Z-]+( .*)?$")) {
                      lines.add(line);
                    }
                  }
                } catch (IOException e) {
                  // The JVM was killed: its output ends here.
                }
              },
              "crash-test-worker-output");
      reader.setDaemon(true);
      reader.start();
    }

    static ChildWorker start(LocalSqs sqs, QueuePair queues, String jdbcUrl, int seed)
        throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>();
      command.add(java);
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(CrashingWorkerMain.class.getName());
      command.add(sqs.endpoint().uri().toString());
      command.add(queues.queueUrl());
      command.add(queues.dlqUrl());
      command.add(jdbcUrl);
      command.add(Integer.toString(seed));
      Path log = Path.of("target", "crash-worker-" + seed + ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      ChildWorker worker = new ChildWorker(process, log);
      long started = System.nanoTime();
      worker.expect("WORKER-STARTED", Duration.ofSeconds(60));
      LOG.info("worker {} started in {} ms", seed, elapsedMillis(started));
      return worker;
    }

    void command(String line) {
      stdin.println(line);
    }

    /** The next protocol line that starts with {@code prefix} (others before it are skipped). */
    String expect(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        assertThat(line).as("worker printed %s within %s", prefix, timeout).isNotNull();
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(LocalSqs sqs, String queueUrl) {
    for (int from = 0; from < MESSAGES; from += 10) {
      sendBatch(sqs, queueUrl, IntStream.range(from, from + 10).mapToObj(i -> "row-" + i).toList());
    }
  }

  private static void sendProbes(LocalSqs sqs, String queueUrl) {
    sendBatch(
        sqs,
        queueUrl,
        IntStream.range(0, CrashingWorkerMain.CONCURRENCY).mapToObj(i -> "probe-" + i).toList());
  }

  private static void sendBatch(LocalSqs sqs, String queueUrl, List<String> bodies) {
    List<SendMessageBatchRequestEntry> entries =
        IntStream.range(0, bodies.size())
            .mapToObj(
                i ->
                    SendMessageBatchRequestEntry.builder()
                        .id("e" + i)
                        .messageBody(bodies.get(i))
                        .build())
            .toList();
    sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
  }

  private static long rows(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM crash_rows")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(DataSource db, String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
