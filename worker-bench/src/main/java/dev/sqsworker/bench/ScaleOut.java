package dev.sqsworker.bench;

import dev.sqsworker.app.WorkerApplication;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The scale-out row: {@code WorkerApplication} in several JVMs, as several ECS tasks run it, on one
 * queue and one PostgreSQL with idempotency on, I/O-bound handlers so the CPU is not the limit.
 * Throughput is timed from the first send to the last message completed in the idempotency table.
 */
final class ScaleOut {

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final LocalSqs sqs;
  private final LocalPostgres postgres;
  private final String classpath;

  /** {@code classpath}: the worker JVMs' classpath (the benchmark's own). */
  ScaleOut(LocalSqs sqs, LocalPostgres postgres, String classpath) {
    this.sqs = sqs;
    this.postgres = postgres;
    this.classpath = classpath;
  }

  /**
   * One round.
   *
   * @param messagesPerSecond messages completed per second, all JVMs together
   */
  record Round(int jvms, double messagesPerSecond) {}

  /** {@code messages} handled by {@code jvms} worker JVMs of {@code concurrency} each. */
  Round run(int jvms, int messages, int concurrency, Duration handlerTime) throws Exception {
    int run = RUNS.incrementAndGet();
    QueuePair queue = sqs.createQueueWithDlq("bench-scale-" + run, 100);
    String database = postgres.createDatabase("scale" + run);
    DataSource db = postgres.dataSource(database);
    Path work = Files.createTempDirectory("bench-scale-");
    List<Process> workers = new ArrayList<>();
    try {
      for (int i = 0; i < jvms; i++) {
        workers.add(start(env(queue, database, concurrency, handlerTime), work.resolve("w" + i)));
      }
      for (int i = 0; i < jvms; i++) {
        awaitStarted(workers.get(i), work.resolve("w" + i));
      }
      // A warm-up batch first: fresh JVMs compile the message path while handling it.
      int warmUp = Math.max(jvms * concurrency * 4, messages / 5);
      send(queue.queueUrl(), warmUp);
      awaitCompleted(db, warmUp, workers, work);
      long start = System.nanoTime();
      send(queue.queueUrl(), messages);
      awaitCompleted(db, warmUp + messages, workers, work);
      double seconds = (System.nanoTime() - start) / 1e9;
      requireOnce(db, warmUp + messages);
      return new Round(jvms, messages / seconds);
    } finally {
      workers.forEach(Process::destroy);
      for (Process p : workers) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static void awaitCompleted(DataSource db, int count, List<Process> workers, Path work)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (completed(db) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "scale-out: " + completed(db) + " of " + count + " completed after 5 min");
      }
      for (Process p : workers) {
        if (!p.isAlive()) {
          throw new IllegalStateException("scale-out: a worker JVM exited; see " + work);
        }
      }
      Thread.sleep(20);
    }
  }

  private Map<String, String> env(
      QueuePair queue, String database, int concurrency, Duration handlerTime) {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_QUEUE_URL", queue.queueUrl());
    env.put("SQSWORKER_DLQ_URL", queue.dlqUrl());
    env.put("SQSWORKER_HANDLER_CLASS", SleepingHandler.class.getName());
    env.put("SQSWORKER_CONCURRENCY", Integer.toString(concurrency));
    env.put("SQSWORKER_WAIT_TIME", "1s");
    env.put("SQSWORKER_HTTP_PORT", "0");
    env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database));
    env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
    env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
    env.put("BENCH_HANDLER_MILLIS", Long.toString(handlerTime.toMillis()));
    env.put("AWS_REGION", sqs.endpoint().region());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString());
    env.put("AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey());
    return env;
  }

  private Process start(Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                // The application's own logging, as the image runs it (JSON lines on stdout).
                "-Dlogback.configurationFile=logback-ecs.xml",
                "-cp",
                classpath,
                WorkerApplication.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Until the JVM logs that its worker started (its queue and store were checked). */
  private static void awaitStarted(Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "scale-out: a worker JVM failed to start: " + Files.readString(log));
      }
      if (Files.exists(log) && Files.readString(log).contains("started on")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("scale-out: a worker JVM did not start in 60 s; see " + log);
  }

  private void send(String queueUrl, int messages) throws Exception {
    try (var client = sqs.newAsyncClient(b -> {})) {
      List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
      for (int from = 0; from < messages; from += 10) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < Math.min(messages, from + 10); i++) {
          entries.add(
              SendMessageBatchRequestEntry.builder()
                  .id("m" + i)
                  .messageBody("{\"n\":" + i + "}")
                  .build());
        }
        sends.add(client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)));
      }
      java.util.concurrent.CompletableFuture.allOf(
              sends.toArray(java.util.concurrent.CompletableFuture[]::new))
          .join();
    }
  }

  private static long completed(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT to_regclass('sqsworker_idempotency') IS NOT NULL");
      try (ResultSet exists = s.getResultSet()) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return 0;
        }
      }
      try (ResultSet r =
          s.executeQuery("SELECT count(*) FROM sqsworker_idempotency WHERE status = 'COMPLETED'")) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Every message completed once: one record each, each claimed once. */
  private static void requireOnce(DataSource db, int messages) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*), coalesce(sum(attempts), 0) FROM sqsworker_idempotency")) {
      r.next();
      if (r.getLong(1) != messages || r.getLong(2) != messages) {
        throw new IllegalStateException(
            "scale-out: "
                + r.getLong(1)
                + " records with "
                + r.getLong(2)
                + " attempts for "
                + messages
                + " messages");
      }
    }
  }
}
