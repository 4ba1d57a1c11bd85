package dev.sqsworker.samples.quickstart;

// snippet:readme-worker
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

public class OrdersWorker {
  record Order(String orderId, String customer, int quantity) {}

  public static void main(String[] args) throws InterruptedException {
    SqsAsyncClient sqs = SqsAsyncClient.create(); // AWS_REGION, credentials, endpoint as usual
    Worker worker =
        Worker.builder()
            .client(sqs)
            .config(
                WorkerConfig.builder()
                    .concurrency(20) // the defaults of this program ...
                    .maxAttempts(5)
                    .environment(System.getenv()) // ... SQSWORKER_QUEUE_URL, _CONCURRENCY override
                    .build())
            .handler(
                Order.class,
                (order, context) -> {
                  if (order.quantity() <= 0) {
                    throw new NonRetryableException("quantity must be positive"); // to the DLQ
                  }
                  System.out.println("stored " + order.orderId()); // any other error is retried
                })
            .build();
    worker.registerShutdownHook(); // SIGTERM drains within the grace period
    worker.run(); // starts, and blocks until the worker is closed
  }
}
// end:readme-worker
