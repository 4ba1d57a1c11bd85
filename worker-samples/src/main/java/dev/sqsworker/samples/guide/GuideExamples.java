package dev.sqsworker.samples.guide;

import dev.sqsworker.core.BatchItem;
import dev.sqsworker.core.BatchMessageHandler;
import dev.sqsworker.core.BatchResult;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.MessageFilter;
import dev.sqsworker.dlq.ReplayRequest;
import dev.sqsworker.dlq.ReplayResult;
import dev.sqsworker.storage.BucketSetup;
import dev.sqsworker.storage.LargePayloadConfig;
import dev.sqsworker.storage.LargePayloadSender;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The guide's examples, compiled with the project. */
public final class GuideExamples {

  private GuideExamples() {}

  /** An order, as the examples' producers send it. */
  public record Order(String orderId, String customer, int quantity) {}

  /** Where the examples' orders are kept. */
  public interface Orders {
    /** Stores an order. */
    void save(Order order, String messageId);
  }

  /** The smallest useful worker. */
  public static Worker basicWorker(SqsAsyncClient sqs, Orders orders, Map<String, String> env) {
    // snippet:basic-worker
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(
                WorkerConfig.builder()
                    .environment(env) // SQSWORKER_QUEUE_URL, SQSWORKER_CONCURRENCY, ...
                    .concurrency(20)
                    .maxAttempts(5)
                    .build())
            .handler(
                Order.class,
                (order, context) -> {
                  if (order.quantity() <= 0) {
                    throw new NonRetryableException("quantity must be positive"); // to the DLQ
                  }
                  orders.save(order, context.messageId()); // any other error is retried
                })
            .build();
    worker.registerShutdownHook(); // SIGTERM drains within the grace period
    worker.start();
    // end:basic-worker
    return worker;
  }

  /** Every option set in code. */
  public static WorkerConfig fullConfig(String queueUrl, String dlqUrl) {
    // snippet:config
    WorkerConfig config =
        WorkerConfig.builder()
            .queueUrl(queueUrl)
            .dlqUrl(dlqUrl) // default: the queue's RedrivePolicy target
            .concurrency(50) // handlers at once
            .visibilityTimeout(Duration.ofSeconds(30)) // per receive and per extension
            .maxHandlingTime(Duration.ofMinutes(30)) // the heartbeat stops here (at most 12 h)
            .maxAttempts(5)
            .backoffBase(Duration.ofSeconds(1)) // exponential with full jitter ...
            .backoffCap(Duration.ofMinutes(15)) // ... capped
            .shutdownGrace(Duration.ofSeconds(25))
            .nonRetryableExceptions(IllegalArgumentException.class)
            .build();
    // end:config
    return config;
  }

  /** Exactly-once effects inside PostgreSQL. */
  public static Worker transactional(SqsAsyncClient sqs, WorkerConfig config, DataSource db) {
    // snippet:transactional
    MessageHandler<Order> handler =
        (order, context) -> {
          var tx = context.transaction().orElseThrow(); // open; the worker commits it
          try (PreparedStatement insert =
              tx.prepareStatement("INSERT INTO orders(order_id, quantity) VALUES (?, ?)")) {
            insert.setString(1, order.orderId());
            insert.setInt(2, order.quantity());
            insert.executeUpdate();
          }
        };
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(config)
            .idempotency(
                Idempotency.postgres(db) // creates its table with Flyway at start
                    .mode(IdempotencyMode.TRANSACTIONAL)
                    .keyFrom(Order.class, Order::orderId) // default: Idempotency-Key attribute
                    .build())
            .handler(Order.class, handler)
            .build();
    // end:transactional
    return worker;
  }

  /** Putting fixed messages back, from code. */
  public static ReplayResult replay(SqsClient sqs) {
    // snippet:replay
    DeadLetterQueues dlq = DeadLetterQueues.builder(sqs).build();
    ReplayResult result =
        dlq.replay(
            ReplayRequest.builder("orders-dlq")
                .filter(MessageFilter.parse("errorClass~TimeoutException and age<1d"))
                .ratePerSecond(50)
                .build());
    System.out.printf(
        "replayed %d, skipped %d, failed %d%n",
        result.replayed(), result.skipped(), result.failed());
    // end:replay
    return result;
  }

  /** Large payloads through S3: the producer's side and the worker's. */
  public static Worker largePayloads(
      SqsClient sqs,
      S3Client s3,
      SqsAsyncClient sqsAsync,
      S3AsyncClient s3Async,
      Orders orders,
      String queueUrl,
      String bigOrderJson) {
    // snippet:large-payload-producer
    LargePayloadConfig payloads = LargePayloadConfig.of("orders-payloads").withKeyPrefix("orders/");
    BucketSetup.create(s3).apply("orders-payloads", payloads.bucketPolicy(14).build());
    LargePayloadSender sender = LargePayloadSender.create(sqs, s3, payloads);
    sender.send(queueUrl, bigOrderJson, Map.of()); // over 256 KiB with attributes: through S3
    // end:large-payload-producer
    // snippet:large-payload-worker
    Worker worker =
        Worker.builder()
            .client(sqsAsync)
            .s3Client(s3Async) // reads (and, if asked, deletes) the payload objects
            .config(
                WorkerConfig.builder()
                    .queueUrl(queueUrl)
                    .largePayloadBucket("orders-payloads") // SQSWORKER_LARGE_PAYLOAD_BUCKET
                    .largePayloadDelete(true) // SQSWORKER_LARGE_PAYLOAD_DELETE
                    .build())
            .handler(Order.class, (order, context) -> orders.save(order, context.messageId()))
            .build();
    // end:large-payload-worker
    return worker;
  }

  /** Many messages in one statement, with an outcome per message. */
  public static Worker batchHandler(SqsAsyncClient sqs, WorkerConfig config, DataSource db) {
    // snippet:batch-handler
    BatchMessageHandler<Order> handler =
        items -> {
          var result = BatchResult.builder();
          var tx = items.get(0).context().transaction().orElseThrow(); // one for the batch
          try (PreparedStatement insert =
              tx.prepareStatement("INSERT INTO orders(order_id, quantity) VALUES (?, ?)")) {
            for (BatchItem<Order> item : items) {
              Order order = item.payload();
              if (order.quantity() <= 0) {
                result.rejected(item, "quantity must be positive"); // to the DLQ, not written
                continue;
              }
              insert.setString(1, order.orderId());
              insert.setInt(2, order.quantity());
              insert.addBatch();
            }
            insert.executeBatch(); // throwing fails (and rolls back) the whole batch
          }
          return result.build(); // the others succeeded: completed in the same transaction
        };
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(config) // batchSize (default 10) bounds a batch: one receive
            .idempotency(Idempotency.postgres(db).mode(IdempotencyMode.TRANSACTIONAL).build())
            .batchHandler(Order.class, handler)
            .build();
    // end:batch-handler
    return worker;
  }
}
