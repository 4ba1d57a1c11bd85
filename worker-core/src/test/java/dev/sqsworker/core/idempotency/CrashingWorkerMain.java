package dev.sqsworker.core.idempotency;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import java.net.URI;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * A worker in its own JVM for the crash test: transactional idempotency, a handler that inserts one
 * row per message. Runs until killed. Arguments: SQS endpoint, queue URL, DLQ URL, JDBC URL.
 */
public final class CrashingWorkerMain {

  private CrashingWorkerMain() {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(args[3]);
    pool.setUsername("postgres");
    pool.setPassword("postgres");
    pool.setMaximumPoolSize(12);
    HikariDataSource db = new HikariDataSource(pool);
    SqsAsyncClient sqs =
        SqsAsyncClient.builder()
            .endpointOverride(URI.create(args[0]))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .build();
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(
                WorkerConfig.builder()
                    .queueUrl(args[1])
                    .dlqUrl(args[2])
                    .concurrency(8)
                    .visibilityTimeout(Duration.ofSeconds(2))
                    .waitTime(Duration.ofSeconds(1))
                    .maxAttempts(10)
                    .backoff(BackoffPolicy.fixed(Duration.ZERO))
                    .build())
            .idempotency(Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build())
            .handler(
                String.class,
                (body, context) -> {
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
    System.out.println("WORKER-STARTED");
    new CountDownLatch(1).await();
  }
}
