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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
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
  record Round(
      int jvms,
      double messagesPerSecond,
      double workerCpuMicrosPerMessage,
      double otherCpuMicrosPerMessage,
      double machineBusy,
      double sendSeconds,
      Map<String, Double> requestsPerMessage) {}

  /**
   * {@code messages} handled by {@code jvms} worker JVMs of {@code concurrency} each, after {@code
   * warmUpPerJvm} messages per JVM handled untimed: a fresh JVM runs its message path interpreted
   * and compiles it while it handles the first thousands, and that CPU, three times over on this
   * machine's two cores, would otherwise be what the three-JVM round measures.
   */
  Round run(int jvms, int messages, int warmUpPerJvm, int concurrency, Duration handlerTime)
      throws Exception {
    int run = RUNS.incrementAndGet();
    QueuePair queue = sqs.createQueueWithDlq("bench-scale-" + run, 100);
    String database = postgres.createDatabase("scale" + run);
    DataSource db = postgres.dataSource(database);
    Path work = Files.createTempDirectory("bench-scale-");
    List<Process> workers = new ArrayList<>();
    // One sending client for the warm-up and the timed batch, built before the timer starts.
    try (SqsAsyncClient sender = sqs.newAsyncClient(b -> {})) {
      for (int i = 0; i < jvms; i++) {
        workers.add(start(env(queue, database, concurrency, handlerTime), work.resolve("w" + i)));
      }
      for (int i = 0; i < jvms; i++) {
        awaitStarted(workers.get(i), work.resolve("w" + i));
      }
      int warmUp = jvms * warmUpPerJvm;
      send(sender, queue.queueUrl(), 0, warmUp);
      awaitCompleted(db, warmUp, workers, work);
      Map<String, Double> requestsBefore = requests(work, jvms);
      CpuSample before = CpuSample.take(workers);
      long start = System.nanoTime();
      send(sender, queue.queueUrl(), warmUp, messages);
      double sendSeconds = (System.nanoTime() - start) / 1e9;
      awaitCompleted(db, warmUp + messages, workers, work);
      double seconds = (System.nanoTime() - start) / 1e9;
      CpuSample after = CpuSample.take(workers);
      Map<String, Double> perMessage = new java.util.TreeMap<>();
      requests(work, jvms)
          .forEach(
              (action, n) ->
                  perMessage.put(
                      action, (n - requestsBefore.getOrDefault(action, 0.0)) / messages));
      requireOnce(db, warmUp + messages);
      return new Round(
          jvms,
          messages / seconds,
          (after.workers() - before.workers()) / 1e3 / messages,
          (after.others() - before.others()) / 1e3 / messages,
          after.busyFraction(before),
          sendSeconds,
          perMessage);
    } finally {
      workers.forEach(Process::destroy);
      for (Process p : workers) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * Until {@code count} records are completed. One connection for all the counts (a new one is a
   * new PostgreSQL process), counted rarely while many are left and often near the end: each
   * count's CPU is taken from the workers on this machine's two cores.
   */
  private static void awaitCompleted(DataSource db, int count, List<Process> workers, Path work)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    try (Connection c = db.getConnection()) {
      long done;
      while ((done = completed(c)) < count) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "scale-out: " + done + " of " + count + " completed after 5 min");
        }
        for (Process p : workers) {
          if (!p.isAlive()) {
            throw new IllegalStateException("scale-out: a worker JVM exited; see " + work);
          }
        }
        Thread.sleep(count - done > 500 ? 100 : 10);
      }
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
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    // C1 only: a worker JVM handles a few thousand messages here, about a thousand SQS requests,
    // too few for C2 to compile the SDK's request path, so it ran mostly interpreted (59 % of the
    // CPU samples of a one-JVM round), and three JVMs compiling at once on two cores measured
    // the compilers. C1 compiles the whole path within the warm-up at a fraction of the cost;
    // the work per message is the same. The same flags for one JVM and three.
    command.add("-XX:TieredStopAtLevel=1");
    // -Dbench.scaleout.jvmOptions="-XX:StartFlightRecording=..." profiles the worker JVMs.
    String extra = System.getProperty("bench.scaleout.jvmOptions", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.replace("{log}", log.toString()).split("\\s+")));
    }
    // The application's own logging, as the image runs it (JSON lines on stdout).
    command.add("-Dlogback.configurationFile=logback-ecs.xml");
    command.add("-cp");
    command.add(classpath);
    command.add(WorkerApplication.class.getName());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
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

  /** Sends messages {@code from} to {@code from + count - 1}, each with its own body. */
  private static void send(SqsAsyncClient client, String queueUrl, int from, int count) {
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (int batch = from; batch < from + count; batch += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = batch; i < Math.min(from + count, batch + 10); i++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id("m" + i)
                .messageBody("{\"n\":" + i + "}")
                .build());
      }
      sends.add(
          client
              .sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries))
              .thenAccept(
                  r -> {
                    if (!r.failed().isEmpty()) {
                      throw new IllegalStateException("scale-out: sends failed: " + r.failed());
                    }
                  }));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
  }

  /** The SQS requests of every worker JVM so far, by action, from its metrics endpoint. */
  private static Map<String, Double> requests(Path work, int jvms) throws Exception {
    Map<String, Double> total = new HashMap<>();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    var counter =
        java.util.regex.Pattern.compile(
            "^sqsworker_sqs_requests_total\\{[^}]*action=\"([A-Za-z]+)\"[^}]*} ([0-9.E]+)",
            java.util.regex.Pattern.MULTILINE);
    for (int i = 0; i < jvms; i++) {
      var port =
          java.util.regex.Pattern.compile("metrics on port (\\d+)")
              .matcher(Files.readString(work.resolve("w" + i)));
      if (!port.find()) {
        continue;
      }
      String body =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://localhost:" + port.group(1) + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      var m = counter.matcher(body);
      while (m.find()) {
        total.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return total;
  }

  private static long completed(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
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

  /**
   * CPU time so far: the worker JVMs', every other process of the benchmark's (the SQS server, the
   * PostgreSQL server, this JVM), and the machine's busy and total jiffies (all users).
   */
  record CpuSample(long workers, long others, long busyJiffies, long totalJiffies) {

    static CpuSample take(List<Process> workerProcesses) throws IOException {
      List<Long> pids = workerProcesses.stream().map(Process::pid).toList();
      long workers = 0;
      long others = cpuNanos(ProcessHandle.current());
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        if (pids.contains(p.pid())) {
          workers += cpuNanos(p);
        } else {
          others += cpuNanos(p);
        }
      }
      // The first line of /proc/stat: user nice system idle iowait irq softirq steal ...
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(cpu.length, 9); i++) {
        total += Long.parseLong(cpu[i]);
      }
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      return new CpuSample(workers, others, total - idle, total);
    }

    /** The share of the machine's CPU that was busy since {@code earlier}, any process's. */
    double busyFraction(CpuSample earlier) {
      long total = totalJiffies - earlier.totalJiffies;
      return total == 0 ? 0 : (double) (busyJiffies - earlier.busyJiffies) / total;
    }

    private static long cpuNanos(ProcessHandle p) {
      return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
  }
}
