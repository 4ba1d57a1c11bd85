package dev.sqsworker.core.idempotency;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.WorkerHealth;
import dev.sqsworker.testkit.faults.FaultyDataSource;
import dev.sqsworker.testkit.faults.SqsFaults;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * A worker in its own JVM for the crash and fault soak test: transactional idempotency, a handler
 * that inserts one row per message, SQS faults on {@value #SQS_FAULT_PERCENT} % of its calls once
 * it runs (half 5xx, half throttling), and a database that stalls on command. Runs until killed or
 * told to close. Arguments: SQS endpoint, queue URL, DLQ URL, JDBC URL, fault seed.
 *
 * <p>Commands on stdin, one a line: {@code stall <millis>} (every {@code getConnection} waits that
 * long; prints {@code STALL-OVER} when it ends), {@code health} (prints {@code HEALTH healthy=..
 * inFlight=.. detail=..}), {@code close} (prints {@code CLOSED <millis> faults=<n>}, then exits).
 * Messages whose body starts with {@code probe-} insert nothing: each waits until {@value
 * #CONCURRENCY} of them run at once, and the first to see that prints {@code PROBE-FULL}, proof
 * that every handler slot is free.
 */
public final class CrashingWorkerMain {

  static final int CONCURRENCY = 8;
  static final Duration VISIBILITY = Duration.ofSeconds(2);
  static final double SQS_FAULT_PERCENT = 5;

  private CrashingWorkerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(args[3]);
    pool.setUsername("postgres");
    pool.setPassword("postgres");
    pool.setMaximumPoolSize(CONCURRENCY + 4);
    FaultyDataSource db = FaultyDataSource.wrap(new HikariDataSource(pool));
    SqsFaults faults = new SqsFaults(Long.parseLong(args[4]));
    SqsAsyncClient sqs =
        SqsAsyncClient.builder()
            .endpointOverride(URI.create(args[0]))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .overrideConfiguration(o -> o.addExecutionInterceptor(faults))
            .build();
    CountDownLatch probes = new CountDownLatch(CONCURRENCY);
    AtomicBoolean probed = new AtomicBoolean();
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(
                WorkerConfig.builder()
                    .queueUrl(args[1])
                    .dlqUrl(args[2])
                    .concurrency(CONCURRENCY)
                    .visibilityTimeout(VISIBILITY)
                    .waitTime(Duration.ofSeconds(1))
                    .maxAttempts(10)
                    .backoff(BackoffPolicy.fixed(Duration.ZERO))
                    .shutdownGrace(Duration.ofSeconds(20))
                    .build())
            .idempotency(
                Idempotency.postgres(db)
                    .mode(IdempotencyMode.TRANSACTIONAL)
                    .migrateOnStart(false) // the test migrated it
                    .build())
            .handler(
                String.class,
                (body, context) -> {
                  if (body.startsWith("probe-")) {
                    probes.countDown();
                    if (probes.await(30, TimeUnit.SECONDS) && probed.compareAndSet(false, true)) {
                      System.out.println("PROBE-FULL");
                    }
                    return;
                  }
                  try (PreparedStatement insert =
                      context
                          .transaction()
                          .orElseThrow()
                          .prepareStatement("INSERT INTO crash_rows(body) VALUES (?)")) {
                    insert.setString(1, body);
                    insert.executeUpdate();
                  }
                })
            .build();
    worker.start();
    // Faults only once it runs: a failed start-up check would only end this JVM.
    double p = SQS_FAULT_PERCENT / 100 / 2;
    faults.on("*").probability(p).serverError();
    faults.on("*").probability(p).throttle();
    System.out.println("WORKER-STARTED");

    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "crash-worker-stall-timer");
              t.setDaemon(true);
              return t;
            });
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = commands.readLine()) != null) {
      String[] command = line.trim().split(" ");
      switch (command[0]) {
        case "stall" -> {
          long millis = Long.parseLong(command[1]);
          db.stallConnections(Duration.ofMillis(millis));
          timer.schedule(
              () -> {
                db.heal();
                System.out.println("STALL-OVER");
              },
              millis,
              TimeUnit.MILLISECONDS);
        }
        case "health" -> {
          WorkerHealth h = worker.health();
          System.out.println(
              "HEALTH healthy="
                  + h.healthy()
                  + " inFlight="
                  + h.inFlight()
                  + " detail="
                  + h.detail());
        }
        case "close" -> {
          long start = System.nanoTime();
          worker.close();
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          System.out.println("CLOSED " + millis + " faults=" + faults.injected());
          System.out.flush();
          System.exit(0);
        }
        default -> System.out.println("UNKNOWN " + line);
      }
    }
  }
}
